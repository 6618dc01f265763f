package printable

import "fmt"

// Count is n with the noun that agrees with it: "1 row", "2 rows".
func Count[N ~int | ~int64](n N, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Agree is the form of a word that agrees with n: "holds" for 1, "hold"
// otherwise.
func Agree[N ~int | ~int64](n N, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
