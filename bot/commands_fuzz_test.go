package bot

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzSplitCommand: whatever follows /okr, the subcommand is one lower-case
// word and the arguments are what follows it, trimmed; the help answer for
// an unknown subcommand can always be built.
func FuzzSplitCommand(f *testing.F) {
	for _, s := range []string{"", "help", "  STATUS  <#C1|growth> ", "new Delight new customers", "stauts", "\u200bnew", "new\ttitle", "<@U1>", "status @", "a b c"} {
		f.Add(s)
	}
	b := &Bot{}
	b.commands = b.commandTable()
	f.Fuzz(func(t *testing.T, text string) {
		name, args := splitCommand(text)
		if strings.ContainsRune(name, ' ') || name != strings.ToLower(name) {
			t.Fatalf("subcommand %q of %q", name, text)
		}
		if args != strings.TrimSpace(args) {
			t.Fatalf("untrimmed args %q of %q", args, text)
		}
		if strings.IndexFunc(name, unicode.IsSpace) == -1 && name != "" {
			_ = b.suggest(name)
		}
		_ = b.helpMessage(name)
	})
}
