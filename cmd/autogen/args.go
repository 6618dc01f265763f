package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// normalizeArgs reorders a command line so that Go's flag parsing, which
// stops at the first positional argument and takes "-1" for a flag, sees
// every flag before a "--" and every revision specifier after it. Alembic
// users type `downgrade -1` and `upgrade head --sql`; both must work.
func normalizeArgs(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	global := flagArity(app.Flags)
	var globals, cmdArgs []string
	var cmd *cli.Command
	rest := args[1:]
	for i := 0; i < len(rest) && cmd == nil; i++ {
		a := rest[i]
		if f, v, ok := splitAttached(a, global); ok {
			globals = append(globals, f, v)
			continue
		}
		if takesValue, ok := lookupFlag(global, a); ok {
			globals = append(globals, a)
			if takesValue && i+1 < len(rest) {
				i++
				globals = append(globals, rest[i])
			}
			continue
		}
		if strings.HasPrefix(a, "-") {
			globals = append(globals, a)
			continue
		}
		if cmd = app.Command(a); cmd == nil {
			return args
		}
		cmdArgs = rest[i+1:]
	}
	if cmd == nil {
		return args
	}
	local := flagArity(cmd.Flags)
	var flags, positional []string
	for i := 0; i < len(cmdArgs); i++ {
		a := cmdArgs[i]
		if a == "--" {
			positional = append(positional, cmdArgs[i+1:]...)
			break
		}
		if f, v, ok := splitAttached(a, local, global); ok {
			flags = append(flags, f, v)
			continue
		}
		if f, v, ok := splitAttached(a, global, local); ok {
			globals = append(globals, f, v)
			continue
		}
		if bundle, ok := splitBundle(a, local); ok {
			flags = append(flags, bundle...)
			continue
		}
		dst := &flags
		takesValue, ok := lookupFlag(local, a)
		if !ok {
			takesValue, ok = lookupFlag(global, a)
			dst = &globals
		}
		if !ok {
			if isHelp(a) || (strings.HasPrefix(a, "-") && !looksLikeSpec(a)) {
				flags = append(flags, a) // let the parser report it
				continue
			}
			positional = append(positional, a)
			continue
		}
		*dst = append(*dst, a)
		if takesValue && i+1 < len(cmdArgs) {
			i++
			*dst = append(*dst, cmdArgs[i])
		}
	}
	out := append([]string{args[0]}, globals...)
	out = append(out, cmd.Name)
	out = append(out, flags...)
	if len(positional) > 0 {
		out = append(out, "--")
		out = append(out, positional...)
	}
	return out
}

// flagArity maps every name and alias of flags to whether it takes a value.
func flagArity(flags []cli.Flag) map[string]bool {
	m := make(map[string]bool)
	for _, f := range flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			m[n] = !isBool
		}
	}
	return m
}

func flagName(a string) string {
	n := strings.TrimLeft(a, "-")
	if i := strings.IndexByte(n, '='); i >= 0 {
		n = n[:i]
	}
	return n
}

// lookupFlag reports whether a is one of the flags and whether its value is
// the next argument (not given after "=").
func lookupFlag(flags map[string]bool, a string) (takesValue, ok bool) {
	if !strings.HasPrefix(a, "-") || a == "-" {
		return false, false
	}
	takesValue, ok = flags[flagName(a)]
	if ok && strings.Contains(a, "=") {
		takesValue = false
	}
	return takesValue, ok
}

// splitAttached splits "-rVALUE" into "-r" and "VALUE" where r is one of
// flags' one-letter flags that takes a value, as argparse reads it (Go's
// flag parsing would take rVALUE for a flag name). Nothing is split when
// the whole name is a flag of flags or others ("-rev-range").
func splitAttached(a string, flags map[string]bool, others ...map[string]bool) (flag, value string, ok bool) {
	if len(a) < 3 || a[0] != '-' || a[1] == '-' {
		return "", "", false
	}
	for _, m := range append([]map[string]bool{flags}, others...) {
		if _, whole := m[flagName(a)]; whole {
			return "", "", false
		}
	}
	if !flags[a[1:2]] {
		return "", "", false
	}
	return a[:2], a[2:], true
}

// splitBundle splits "-vi" into "-v" and "-i" when every letter is one of
// flags' one-letter boolean flags, as argparse reads `history -vi`.
func splitBundle(a string, flags map[string]bool) ([]string, bool) {
	if len(a) < 3 || a[0] != '-' || a[1] == '-' {
		return nil, false
	}
	if _, whole := flags[flagName(a)]; whole {
		return nil, false
	}
	var out []string
	for _, c := range a[1:] {
		takesValue, ok := flags[string(c)]
		if !ok || takesValue {
			return nil, false
		}
		out = append(out, "-"+string(c))
	}
	return out, true
}

func isHelp(a string) bool {
	return a == "-h" || a == "--help" || a == "-help"
}

// looksLikeSpec reports whether a starts like a relative revision
// specifier ("-1", "-2:head").
func looksLikeSpec(a string) bool {
	return len(a) > 1 && a[0] == '-' && a[1] >= '0' && a[1] <= '9'
}
