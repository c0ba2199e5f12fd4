package views

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// CallbackCheckIn is the check-in modal.
const CallbackCheckIn = "okr_checkin"

// maxCheckInKRs keeps the check-in modal within Slack's 100 blocks (four a
// key result).
const maxCheckInKRs = 20

// CheckInMeta travels in the check-in modal. Nothing in it is trusted: the
// key results are looked up again and must be the caller's own.
type CheckInMeta struct {
	KRs      []string `json:"k"`           // key result ids by position
	Kinds    []string `json:"t"`           // their kinds, to validate before the ack
	Team     string   `json:"m,omitempty"` // the team whose prompt opened it
	Channel  string   `json:"c,omitempty"`
	Response string   `json:"r,omitempty"`
	Reply    string   `json:"p,omitempty"` // the reply preview it edits, if any
}

// DecodeCheckInMeta reads the check-in modal's private_metadata.
func DecodeCheckInMeta(s string) CheckInMeta {
	var m CheckInMeta
	json.Unmarshal([]byte(s), &m)
	return m
}

func ciBlock(i int, field string) string { return fmt.Sprintf("ci%d_%s", i, field) }

// CheckInModal asks for this week's value, confidence and a note on each of
// krs (of objs), at most 20 of them.
func CheckInModal(objs []okrs.Objective, krs []*okrs.KeyResult, m CheckInMeta) slack.ModalViewRequest {
	return CheckInModalPrefilled(objs, krs, m, nil)
}

// CheckInModalPrefilled is CheckInModal with some answers filled in, by key
// result id (what okrbot understood of a reply); the others show their last
// values.
func CheckInModalPrefilled(objs []okrs.Objective, krs []*okrs.KeyResult, m CheckInMeta, prefill map[string]CheckInEntry) slack.ModalViewRequest {
	objTitle := map[string]okrs.Objective{}
	for _, o := range objs {
		objTitle[o.ID] = o
	}
	blocks := []slack.Block{contextText(Raw("Nothing changed? The values are filled in: just press *Check in*. Confidence is how sure you are to hit the target by the end of the cycle."))}
	if len(krs) > maxCheckInKRs {
		blocks = append(blocks, contextText(Sprintf("You own %d key results; here are the first %d. Run `/okr checkin` again for the rest.", len(krs), maxCheckInKRs)))
		krs = krs[:maxCheckInKRs]
	}
	m.KRs, m.Kinds = nil, nil
	for i, kr := range krs {
		o := objTitle[kr.ObjectiveID]
		pre, filled := prefill[kr.ID]
		if !filled {
			pre = CheckInEntry{Value: kr.Current, Level: kr.Confidence.Level}
		}
		m.KRs = append(m.KRs, kr.ID)
		m.Kinds = append(m.Kinds, string(kr.Kind))
		blocks = append(blocks, section(Sprintf("*%s*\n_%s_ · %s · now %s · last: %s",
			kr.Title, shorten(o.Title, 80), Channel(o.Team), valueText(kr), ConfidenceLabel(kr.Confidence))))
		if kr.Kind == okrs.Milestone {
			initial := "not_done"
			if pre.Value >= 1 {
				initial = "done"
			}
			blocks = append(blocks, staticSelect(ciBlock(i, "value"), "Done yet?", "Done or not",
				[]*slack.OptionBlockObject{option("not_done", "Not done yet"), option("done", "Done")}, initial, false))
		} else {
			in := textInput(ciBlock(i, "value"), "Current value", typedValue(kr, pre.Value), "e.g. "+typedValue(kr, kr.Target), 40, false, false)
			in.Hint = plain(shorten("Target: "+kr.Format(kr.Target), MaxLabel))
			blocks = append(blocks, in)
		}
		level := pre.Level
		if level == "" {
			level = okrs.OnTrack
		}
		var opts []*slack.OptionBlockObject
		for _, l := range okrs.Levels {
			opts = append(opts, option(string(l), l.Label()))
		}
		radio := slack.NewRadioButtonsBlockElement(actionValue, opts...)
		for _, o := range opts {
			if o.Value == string(level) {
				radio.InitialOption = o
			}
		}
		blocks = append(blocks, slack.NewInputBlock(ciBlock(i, "conf"), plain("Confidence"), nil, radio))
		blocks = append(blocks, textInput(ciBlock(i, "note"), "Comment or blockers", okrs.Shorten(pre.Note, okrs.MaxComment), "What moved? What is in the way?", okrs.MaxComment, true, true))
	}
	meta, _ := json.Marshal(m)
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: CallbackCheckIn, PrivateMetadata: string(meta),
		Title: plain("Weekly check-in"), Submit: plain("Check in"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks}}
}

// CheckInEntry is one key result's answer in the modal.
type CheckInEntry struct {
	ID    string
	Value float64
	Level okrs.Level
	Note  string
}

// ReadCheckIn reads and validates the modal; problems are keyed by block.
func ReadCheckIn(state *slack.ViewState, m CheckInMeta) ([]CheckInEntry, FormErrors) {
	fe := FormErrors{}
	var out []CheckInEntry
	for i, id := range m.KRs {
		e := CheckInEntry{ID: id, Note: strings.TrimSpace(stateText(state, ciBlock(i, "note")))}
		kind := okrs.Increase
		if i < len(m.Kinds) {
			kind = okrs.Kind(m.Kinds[i])
		}
		raw := stateValue(state, ciBlock(i, "value"))
		if kind == okrs.Milestone {
			switch raw {
			case "done":
				e.Value = 1
			case "not_done":
				e.Value = 0
			default:
				fe.Add(ciBlock(i, "value"), "Choose done or not done.")
			}
		} else if q, err := okrs.ParseQuantity(raw); err != nil {
			fe.Add(ciBlock(i, "value"), okrs.ErrorMessage(err))
		} else {
			e.Value = q.Value
		}
		e.Level = okrs.Level(stateValue(state, ciBlock(i, "conf")))
		if !e.Level.Valid() {
			fe.Add(ciBlock(i, "conf"), "How confident are you? Choose on track, at risk or off track.")
		}
		if len([]rune(e.Note)) > okrs.MaxComment {
			fe.Add(ciBlock(i, "note"), fmt.Sprintf("Keep it within %d characters.", okrs.MaxComment))
		}
		out = append(out, e)
	}
	return out, fe
}
