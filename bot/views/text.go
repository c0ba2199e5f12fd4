package views

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Mrkdwn is text in Slack's mrkdwn, safe to show: every piece of it that a
// person typed (a title, a note, an argument) was escaped once, when the
// Mrkdwn was made. It is a struct so that no string converts into it by
// accident: make one with Escape, Sprintf, Mention, Channel, Link, Join, or
// Raw for a literal written in okrbot's code.
type Mrkdwn struct{ s string }

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Escape makes s, any text at all, safe for mrkdwn: the three characters
// Slack treats as control (&, <, >) become entities.
func Escape(s string) Mrkdwn { return Mrkdwn{escaper.Replace(s)} }

// Raw trusts mrkdwn written as a constant literal in okrbot's code, such as
// "*Objectives*". Never pass it anything built at run time: a test fails
// when Raw is called with anything but a string literal.
func Raw(trusted string) Mrkdwn { return Mrkdwn{trusted} }

// Sprintf formats like fmt.Sprintf, escaping each argument: a string, a
// fmt.Stringer, an error or any other value is formatted with its verb as
// usual and then escaped; a Mrkdwn argument is inserted as it is. The
// format itself must be a string literal (a test checks it).
func Sprintf(format string, args ...any) Mrkdwn {
	wrapped := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case Mrkdwn:
			wrapped[i] = a.s
		default:
			wrapped[i] = escaped{a}
		}
	}
	return Mrkdwn{fmt.Sprintf(format, wrapped...)}
}

// escaped formats a value with the verb it was given, then escapes it.
type escaped struct{ v any }

func (e escaped) Format(f fmt.State, verb rune) {
	var spec strings.Builder
	spec.WriteByte('%')
	for _, flag := range "+-# 0" {
		if f.Flag(int(flag)) {
			spec.WriteRune(flag)
		}
	}
	if w, ok := f.Width(); ok {
		spec.WriteString(strconv.Itoa(w))
	}
	if p, ok := f.Precision(); ok {
		spec.WriteString("." + strconv.Itoa(p))
	}
	spec.WriteRune(verb)
	fmt.Fprint(f, escaper.Replace(fmt.Sprintf(spec.String(), e.v)))
}

var (
	userID    = regexp.MustCompile(`^[UWB][A-Z0-9]+$`)
	channelID = regexp.MustCompile(`^[CGD][A-Z0-9]+$`)
)

// Mention is a link to a person, <@U123>; anything that is not a user id
// is shown as escaped text.
func Mention(user string) Mrkdwn {
	if !userID.MatchString(user) {
		return Escape(user)
	}
	return Mrkdwn{"<@" + user + ">"}
}

// Channel is a link to a channel, <#C123>; anything that is not a channel
// id is shown as escaped text.
func Channel(id string) Mrkdwn {
	if !channelID.MatchString(id) {
		return Escape(id)
	}
	return Mrkdwn{"<#" + id + ">"}
}

// Link is <url|label>, label escaped. A url that could break out of the
// link (it holds <, >, | or a space) is left out: only the label shows.
func Link(url, label string) Mrkdwn {
	if url == "" || strings.ContainsAny(url, "<>| \n") {
		return Escape(label)
	}
	return Mrkdwn{"<" + url + "|" + escaper.Replace(label) + ">"}
}

// Join joins parts with sep, which is mrkdwn written in the code (such as
// "\n" or ", ").
func Join(parts []Mrkdwn, sep string) Mrkdwn {
	ss := make([]string, len(parts))
	for i, p := range parts {
		ss[i] = p.s
	}
	return Mrkdwn{strings.Join(ss, sep)}
}

// Append returns m followed by more.
func (m Mrkdwn) Append(more ...Mrkdwn) Mrkdwn {
	for _, x := range more {
		m.s += x.s
	}
	return m
}

// String is the mrkdwn, for a Slack text object.
func (m Mrkdwn) String() string { return m.s }

// IsZero reports whether m is empty.
func (m Mrkdwn) IsZero() bool { return m.s == "" }

// shorten cuts m to n characters (an entity may be cut, as Slack cuts it).
func (m Mrkdwn) shorten(n int) Mrkdwn { return Mrkdwn{shorten(m.s, n)} }
