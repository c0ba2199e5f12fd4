package views

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// The review step: a valid objective or key result that the coach has tips
// for is not saved at once; the modal turns into a review listing each tip
// next to what it is about, with "Save anyway" (the submit button) and
// "Back to edit" (the form again, with everything typed).
const (
	CallbackReview   = "okr_review"
	ActionBackToEdit = "okr_review_back"
	ActionReviewEdit = "okr_review_edit" // /okr review's "Edit" buttons, value "edit|<objective id>"
)

// ReviewMeta is the review modal's private_metadata: the draft it saves,
// kept in Redis under the person's own id (the metadata is theirs to forge,
// and names only their own drafts).
type ReviewMeta struct {
	Draft string `json:"d"`
}

// Encode writes m for private_metadata.
func (m ReviewMeta) Encode() string {
	b, _ := json.Marshal(m)
	return string(b)
}

// DecodeReviewMeta reads private_metadata written by Encode.
func DecodeReviewMeta(s string) ReviewMeta {
	var m ReviewMeta
	json.Unmarshal([]byte(s), &m)
	return m
}

// Fingerprint names a set of tips: the review is not shown twice for the
// same tips about the same text (their messages quote it).
func Fingerprint(tips []okrs.Tip) string {
	h := sha256.New()
	for _, t := range tips {
		h.Write([]byte(t.Rule + "\x00" + t.Field + "\x00" + t.Message + "\x00" + t.Suggestion + "\x01"))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// ReviewModal shows tips for a form before it is saved. titles names what
// the form's key results are called (by position), for the tips about one.
func ReviewModal(tips []okrs.Tip, what string, krTitles []string, m ReviewMeta) slack.ModalViewRequest {
	blocks := []slack.Block{
		section(Sprintf("Before you save %s, a few suggestions from the OKR method. They are tips, not rules: *Save anyway*, or go back and change what you like (everything you typed is kept).", what)),
		slack.NewActionBlock("review_back", slack.NewButtonBlockElement(ActionBackToEdit, "back", plain("← Back to edit"))),
	}
	groups := groupTips(tips)
	for _, g := range groups {
		head := Raw("*The objective*")
		if g.kr >= 0 {
			title := ""
			if g.kr < len(krTitles) {
				title = krTitles[g.kr]
			}
			head = Sprintf("*Key result %d* · %s", g.kr+1, shorten(title, 80))
		}
		blocks = append(blocks, slack.NewDividerBlock(), section(head))
		for _, t := range g.tips {
			line := Sprintf(":bulb: %s", t.Message)
			if t.Suggestion != "" {
				line = line.Append(Sprintf("\n_Try:_ %s", t.Suggestion))
			}
			blocks = append(blocks, contextText(line))
		}
		if len(blocks) >= MaxViewBlocks-1 {
			blocks = blocks[:MaxViewBlocks-1]
			break
		}
	}
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackReview, PrivateMetadata: m.Encode(),
		Title: plain("Before you save"), Submit: plain("Save anyway"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

type tipGroup struct {
	kr   int // -1: the objective
	tips []okrs.Tip
}

// groupTips groups tips by what they are about, the objective first, then
// key results in form order.
func groupTips(tips []okrs.Tip) []tipGroup {
	var out []tipGroup
	at := map[int]int{}
	for _, t := range tips {
		kr := TipKeyResult(t)
		i, ok := at[kr]
		if !ok {
			i = len(out)
			at[kr] = i
			out = append(out, tipGroup{kr: kr})
		}
		out[i].tips = append(out[i].tips, t)
	}
	// A stable order: the objective, then by key result.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].kr < out[j-1].kr; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// TipKeyResult returns the form position of the key result a tip is about,
// or -1 when it is about the objective.
func TipKeyResult(t okrs.Tip) int {
	rest, ok := strings.CutPrefix(t.Field, "kr.")
	if !ok {
		return -1
	}
	idx, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(idx)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// Review lists the coaching tips of a team's objectives (/okr review), each
// objective with its tips and an Edit button; only the caller sees it.
func Review(team string, c okrs.Cycle, objs []okrs.Objective, tips [][]okrs.Tip) Message {
	blocks := []slack.Block{header("Coaching review · " + c.Name)}
	total := 0
	for i, o := range objs {
		if i >= len(tips) || len(tips[i]) == 0 {
			continue
		}
		total += len(tips[i])
		s := section(Sprintf("*%s*", o.Title))
		s.Accessory = slack.NewAccessory(slack.NewButtonBlockElement(ActionReviewEdit, ModeEdit+"|"+o.ID, plain("Edit")))
		blocks = append(blocks, slack.NewDividerBlock(), s)
		for _, g := range groupTips(tips[i]) {
			var lines []Mrkdwn
			if g.kr >= 0 && g.kr < len(o.KeyResults) {
				lines = append(lines, Sprintf("_%s_", shorten(o.KeyResults[g.kr].Title, 80)))
			}
			for _, t := range g.tips {
				line := Sprintf(":bulb: %s", t.Message)
				if t.Suggestion != "" {
					line = line.Append(Sprintf(" _Try:_ %s", t.Suggestion))
				}
				lines = append(lines, line)
			}
			blocks = append(blocks, contextText(Join(lines, "\n")))
		}
		if len(blocks) >= MaxMessageBlocks-2 {
			blocks = append(blocks[:MaxMessageBlocks-2], contextText(Raw("More tips did not fit here: open each objective to see the rest.")))
			break
		}
	}
	if total == 0 {
		text := Sprintf(":sparkles: No suggestions for %s's objectives in %s: they read like outcomes you can measure. Keep checking in.", Channel(team), c.Name)
		if len(objs) == 0 {
			text = Sprintf("%s has no objectives in %s yet. Create one with `/okr new`.", Channel(team), c.Name)
		}
		return Message{Text: text, Blocks: []slack.Block{section(text)}}
	}
	return Message{Text: Sprintf("%d coaching tip%s for %s in %s", total, Plural(total), Channel(team), c.Name), Blocks: blocks}
}
