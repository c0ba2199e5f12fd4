package views

import (
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// ChangeText says what one course correction of a key result changed:
// "target 60% → 70%", "kind Increase to a target → Stay above a threshold",
// "due Dec 15 → the cycle end".
func ChangeText(kr *okrs.KeyResult, h okrs.TargetChange) Mrkdwn {
	switch h.Field {
	case okrs.FieldKind:
		return Sprintf("kind %s → %s", shorten(h.FromKind.Label(), 40), shorten(h.ToKind.Label(), 40))
	case okrs.FieldDue:
		return Sprintf("due %s → %s", dueText(h.FromDue), dueText(h.ToDue))
	}
	return Sprintf("target %s → %s", kr.Format(h.From), kr.Format(h.To))
}

// ChangeLine is a save's course corrections for status and the digest:
// "target 60% → 70% on Nov 3: new baseline after the pricing change". hs
// were made together (one At, one reason); the reason is cut to reasonLen
// characters, escaped, and left out when none was given.
func ChangeLine(kr *okrs.KeyResult, hs []okrs.TargetChange, reasonLen int) Mrkdwn {
	if len(hs) == 0 {
		return Mrkdwn{}
	}
	what := make([]Mrkdwn, len(hs))
	for i, h := range hs {
		what[i] = ChangeText(kr, h)
	}
	last := hs[len(hs)-1]
	line := Sprintf("%s on %s", Join(what, ", "), last.At.Format("Jan 2"))
	if last.Reason != "" {
		line = line.Append(Sprintf(": %s", shorten(last.Reason, reasonLen)))
	}
	return line
}

// latestChanges returns the key result's latest course corrections made in
// [from, to): those of its last save, which share one moment.
func latestChanges(kr *okrs.KeyResult, from, to time.Time) []okrs.TargetChange {
	hs := kr.ChangesBetween(from, to)
	if len(hs) == 0 {
		return nil
	}
	at := hs[len(hs)-1].At
	i := len(hs) - 1
	for i > 0 && hs[i-1].At.Equal(at) {
		i--
	}
	return hs[i:]
}

// statusReasonLen is how much of a change's reason a status line shows: a
// page of key results stays within a section.
const statusReasonLen = 100

func dueText(t time.Time) string {
	if t.IsZero() {
		return "the cycle end"
	}
	return t.Format("Jan 2")
}
