package script

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
)

// NewID returns a new revision id: 12 lowercase hex characters from
// crypto/rand, as Alembic's uuid4()[-12:] gives.
func NewID() (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("cannot make a revision id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Slug makes the file-name slug of a message as Alembic does: the runs of
// word characters (letters, digits, underscore) joined by "_", lowercased,
// and when longer than truncate, cut at the last "_" within truncate
// characters with "_" appended. A slug never holds a path separator or dot.
func Slug(message string, truncate int) string {
	words := strings.FieldsFunc(message, func(r rune) bool { return !isWordRune(r) })
	slug := []rune(strings.ToLower(strings.Join(words, "_")))
	if truncate <= 0 || len(slug) <= truncate {
		return string(slug)
	}
	cut := string(slug[:truncate])
	if i := strings.LastIndexByte(cut, '_'); i >= 0 {
		cut = cut[:i]
	}
	return cut + "_"
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}
