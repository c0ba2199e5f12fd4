package views

import (
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// PickerModal asks which of objs to act on (mode: ModeEdit, ModeAdd or
// ModeArchive); scope says whose objectives they are.
func PickerModal(objs []okrs.Objective, scope Mrkdwn, title, mode string, m FormMeta) slack.ModalViewRequest {
	var opts []*slack.OptionBlockObject
	for _, o := range objs {
		if len(opts) < MaxOptions {
			opts = append(opts, option(o.ID, o.Title))
		}
	}
	verb := map[string]string{ModeEdit: "edit", ModeAdd: "add a key result to", ModeArchive: "archive", ModePropose: "propose a key result for"}[mode]
	// A select in an actions block acts at once: no submit button needed.
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Choose an objective"), ActionPick, opts...)
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackPick, Title: plain(shorten(title, MaxModalTitle)), Close: plain("Cancel"),
		PrivateMetadata: m.Encode(),
		Blocks: slack.Blocks{BlockSet: []slack.Block{section(Sprintf("Which objective (of %s) do you want to %s?", scope, verb)),
			slack.NewActionBlock("pick", sel)}},
	}
}

// ArchiveModal asks to confirm archiving o.
func ArchiveModal(o *okrs.Objective, m FormMeta) slack.ModalViewRequest {
	m.Mode, m.ObjID = ModeArchive, o.ID
	text := Sprintf("Archive *%s*?\n\nIts %d key result%s stop getting check-in prompts and it leaves `/okr status` and digests. Its history is kept.",
		o.Title, len(o.Active()), Plural(len(o.Active())))
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: CallbackArchive, PrivateMetadata: m.Encode(),
		Title: plain("Archive objective"), Submit: plain("Archive"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{section(text)}}}
}

// List is a team's objectives, each with a menu to edit, extend or archive
// it.
func List(objs []okrs.Objective, team string, c okrs.Cycle, now time.Time) Message {
	if len(objs) == 0 {
		text := Sprintf("%s has no objectives in %s yet. Create one with `/okr new`.", Channel(team), c.Name)
		return Message{Text: text, Blocks: []slack.Block{section(text)}}
	}
	blocks := []slack.Block{section(Sprintf("*Objectives of %s, %s*", Channel(team), c.Name))}
	for i := range objs {
		if len(blocks) >= MaxMessageBlocks-1 {
			blocks = append(blocks, contextText(Sprintf("…and %d more. `/okr status` shows them all.", len(objs)-i)))
			break
		}
		o := &objs[i]
		menu := slack.NewOverflowBlockElement(ActionObjectiveMenu,
			option("edit|"+o.ID, "Edit"), option("add|"+o.ID, "Add a key result"), option("archive|"+o.ID, "Archive"))
		s := section(objectiveLine(o, c, now).Append(Sprintf("\n%d key result%s", len(o.Active()), Plural(len(o.Active())))))
		s.Accessory = slack.NewAccessory(menu)
		blocks = append(blocks, s)
	}
	return Message{Text: Sprintf("Objectives of %s", Channel(team)), Blocks: blocks}
}
