package okrs

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// KRField returns the field name of a key result's field in an objective's
// validation errors: KRField(2, FieldTarget) is "kr.2.target".
func KRField(index int, field string) string { return fmt.Sprintf("kr.%d.%s", index, field) }

// Normalize tidies an objective before validation and storage: it trims
// texts and normalizes every key result (see KeyResult.Normalize).
func (o *Objective) Normalize() {
	o.Title = normalizeLine(o.Title)
	o.Description = strings.TrimSpace(o.Description)
	o.SharedWith = o.sharedTeams()
	for i := range o.KeyResults {
		o.KeyResults[i].Normalize()
	}
}

// Normalize trims texts and puts a milestone's numbers in their one form
// (start 0, target 1) when none were given, and clears a currency symbol on a
// non-currency key result.
func (kr *KeyResult) Normalize() {
	kr.Title = normalizeLine(kr.Title)
	kr.UnitLabel = strings.TrimSpace(kr.UnitLabel)
	if kr.Unit == "" {
		kr.Unit = Number
	}
	if kr.Unit == Currency && kr.Currency == "" {
		kr.Currency = DefaultCurrency
	}
	if kr.Unit != Currency {
		kr.Currency = ""
	}
	if kr.Kind == Milestone && kr.Start == 0 && kr.Target == 0 {
		kr.Target = 1
	}
}

// normalizeLine trims a one-line text and folds runs of white space
// (newlines included) into single spaces.
func normalizeLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Validate checks an objective and its key results against c, the cycle it
// belongs to. It returns nil or one *Error per broken field, joined; field
// names of key results are prefixed with KRField.
func (o *Objective) Validate(c Cycle) error {
	var errs []error
	add := func(e *Error) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	add(validateTitle(FieldTitle, o.Title, "objective"))
	if utf8.RuneCountInString(o.Description) > MaxDescription {
		add(Invalid(FieldDescription, "Keep the description within %d characters.", MaxDescription))
	}
	if o.Team == "" {
		add(Invalid(FieldTeam, "Choose the team's channel."))
	}
	if o.Owner == "" {
		add(Invalid(FieldOwner, "Choose who owns this objective."))
	}
	if err := c.Validate(); err != nil {
		errs = append(errs, err)
	} else if o.Cycle != c.Name {
		add(Invalid(FieldCycle, "The objective belongs to cycle %q, not %q.", o.Cycle, c.Name))
	}
	if o.ParentID != "" && o.ParentID == o.ID {
		add(Invalid(FieldParent, "An objective cannot align to itself."))
	}
	if len(o.sharedTeams()) > MaxSharedTeams {
		add(Invalid(FieldShared, "Share an objective with at most %d other teams.", MaxSharedTeams))
	}
	active := 0
	for i := range o.KeyResults {
		kr := &o.KeyResults[i]
		if kr.Archived {
			continue
		}
		active++
		for _, fe := range FieldErrors(kr.Validate(c)) {
			errs = append(errs, &Error{Code: fe.Code, Field: KRField(i, fe.Field), Message: fe.Message})
		}
	}
	switch {
	case active < MinKeyResults:
		add(Invalid(FieldKeyResults, "Add at least one key result: how will you know the objective is met?"))
	case active > MaxKeyResults:
		add(Invalid(FieldKeyResults, "Keep to %d key results at most: fewer, sharper results focus the team.", MaxKeyResults))
	}
	return errors.Join(errs...)
}

// Validate checks a key result against c, the cycle of its objective.
func (kr *KeyResult) Validate(c Cycle) error {
	var errs []error
	add := func(e *Error) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	add(validateTitle(FieldTitle, kr.Title, "key result"))
	if kr.Owner == "" {
		add(Invalid(FieldOwner, "Choose who owns this key result."))
	}
	if !kr.Kind.Valid() {
		add(Invalid(FieldKind, "Choose how this key result is measured."))
	}
	if !kr.Unit.Valid() {
		add(Invalid(FieldUnit, "Choose a unit: number, percent or currency."))
	}
	if utf8.RuneCountInString(kr.UnitLabel) > MaxUnitLabel {
		add(Invalid(FieldUnit, "Keep the unit within %d characters.", MaxUnitLabel))
	}
	startErr := validateNumber(FieldStart, kr.Start)
	targetErr := validateNumber(FieldTarget, kr.Target)
	add(startErr)
	add(targetErr)
	add(validateNumber(FieldCurrent, kr.Current))
	if startErr == nil && targetErr == nil {
		add(kr.validateDirection())
	}
	if !kr.Due.IsZero() && c.Validate() == nil && !c.Contains(kr.Due) {
		add(Invalid(FieldDue, "Pick a due date within the cycle (%s to %s).",
			c.Start.Format("Jan 2, 2006"), c.End.Format("Jan 2, 2006")))
	}
	add(kr.Confidence.validate())
	return errors.Join(errs...)
}

func (kr *KeyResult) validateDirection() *Error {
	switch kr.Kind {
	case Increase:
		switch {
		case kr.Target == kr.Start:
			return Invalid(FieldTarget, "The target must differ from the start, or there is nothing to achieve.")
		case kr.Target < kr.Start:
			return Invalid(FieldTarget, "The target is below the start: choose “%s” for a number that should go down.", Decrease.Label())
		}
	case Decrease:
		switch {
		case kr.Target == kr.Start:
			return Invalid(FieldTarget, "The target must differ from the start, or there is nothing to achieve.")
		case kr.Target > kr.Start:
			return Invalid(FieldTarget, "The target is above the start: choose “%s” for a number that should go up.", Increase.Label())
		}
	case Milestone:
		if kr.Start != 0 {
			return Invalid(FieldStart, "A milestone is done or not done: leave the start empty.")
		}
		if kr.Target != 1 {
			return Invalid(FieldTarget, "A milestone is done or not done: leave the target empty.")
		}
		if kr.Current != 0 && kr.Current != 1 {
			return Invalid(FieldCurrent, "A milestone is either done or not done.")
		}
	}
	return nil
}

func validateTitle(field, title, what string) *Error {
	t := strings.TrimSpace(title)
	switch {
	case t == "":
		return Invalid(field, "Give the %s a title.", what)
	case utf8.RuneCountInString(t) > MaxTitle:
		return Invalid(field, "Keep the title within %d characters (it has %d).", MaxTitle, utf8.RuneCountInString(t))
	case !utf8.ValidString(t) || strings.IndexFunc(t, unicode.IsControl) >= 0:
		return Invalid(field, "The title contains characters that cannot be shown.")
	}
	return nil
}

func validateNumber(field string, v float64) *Error {
	switch {
	case !finite(v):
		return Invalid(field, "Enter a number.")
	case math.Abs(v) > maxAbsoluteValue:
		return Invalid(field, "That number is too large.")
	}
	return nil
}

func (c Confidence) validate() *Error {
	if c.Level != "" && !c.Level.Valid() {
		return Invalid(FieldConfidence, "Choose on track, at risk or off track.")
	}
	return nil
}

// Validate checks a check-in on kr: a usable value (0 or 1 for a milestone),
// a confidence level, and texts within limits.
func (ci *CheckIn) Validate(kr *KeyResult) error {
	var errs []error
	add := func(e *Error) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	if ci.Author == "" {
		add(Invalid(FieldOwner, "A check-in needs an author."))
	}
	if e := validateNumber(FieldValue, ci.Value); e != nil {
		add(e)
	} else if kr != nil && kr.Kind == Milestone && ci.Value != 0 && ci.Value != 1 {
		add(Invalid(FieldValue, "A milestone is either done or not done."))
	}
	if ci.Confidence.Level == "" {
		add(Invalid(FieldConfidence, "How confident are you? Choose on track, at risk or off track."))
	}
	add(ci.Confidence.validate())
	if utf8.RuneCountInString(ci.Comment) > MaxComment {
		add(Invalid(FieldComment, "Keep the comment within %d characters.", MaxComment))
	}
	if kr != nil && kr.Archived {
		add(Errorf(EINVALID, "The key result %q is archived.", kr.Title))
	}
	return errors.Join(errs...)
}
