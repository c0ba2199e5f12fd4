package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// Slack delivers double clicks and impatient re-submits as two envelopes
// carrying the same view id and hash (a modal submission) or the same
// message ts and action id (a button). Every state-changing interaction is
// keyed on those and done at most once within idemTTL, which covers Slack's
// retries.
//
// Check-ins claim their key inside the store's check-in script, together
// with the writes (RecordCheckInsOnce): nothing can come between the claim
// and the write. The other submissions (create objective, add key result,
// archive, settings) write through read-modify-write helpers
// (CreateObjective, UpdateObjective, UpdateSettings) that take no key, so
// they claim a delivery marker first (claimSubmission): for as long as the
// work may take while it is being written, then, once written, for idemTTL.
// A failed write releases the claim, so that the person may try again. A
// process that dies between its ack and its write (a SIGTERM waits for the
// write; a SIGKILL or a crash does not) loses that one submission: Slack
// does not deliver an acknowledged submission again, and the modal has
// closed. Its claim expires with the work's timeout.
const idemTTL = 10 * time.Minute

// submissionKey names a view submission: its view id and hash, who sent it,
// and a digest of the values and private_metadata submitted. The same
// delivery twice has all of them the same; a hand-built or corrected
// submission of the same view does not, nor does someone else's sending
// of it (forged, since Slack sends a view's submissions only as its
// person), which must not use up the person's own.
func submissionKey(cb slack.InteractionCallback) string {
	state, _ := json.Marshal(cb.View.State)
	h := sha256.New()
	h.Write(state)
	h.Write([]byte{0})
	h.Write([]byte(cb.View.PrivateMetadata))
	sum := h.Sum(nil)
	return "view:" + cb.View.ID + ":" + cb.View.Hash + ":" + cb.User.ID + ":" + hex.EncodeToString(sum[:8])
}

// actionKey names a button press: the message it is on, the action and who
// pressed it.
func actionKey(r *request, cb slack.InteractionCallback, actionID string) string {
	ts := cb.Container.MessageTs
	if ts == "" {
		ts = cb.Message.Timestamp
	}
	ch := cb.Container.ChannelID
	if ch == "" {
		ch = cb.Channel.ID
	}
	return "action:" + ch + ":" + ts + ":" + actionID + ":" + r.user
}

// claimSubmission claims a view submission for this delivery and reports
// whether it is the first; done(err) releases the claim when the write
// failed (err != nil), so that the person may submit again. When Redis
// cannot tell, the submission is handled (a first delivery is never
// dropped).
func (b *Bot) claimSubmission(ctx context.Context, r *request, cb slack.InteractionCallback) (first bool, done func(err error)) {
	key := "submit:" + submissionKey(cb)
	token := randomToken()
	claimed, _, err := b.store.ClaimDelivery(ctx, r.workspace, key, token, b.workTimeout+5*time.Second)
	if err != nil {
		b.logError("remembering a submission", r, err)
		return true, func(error) {}
	}
	if !claimed {
		b.log.Debug("ignoring a repeated submission", "callback_id", cb.View.CallbackID, "view_id", cb.View.ID)
		return false, func(error) {}
	}
	return true, func(werr error) {
		ctx := context.WithoutCancel(ctx)
		if werr == nil {
			if _, err := b.store.SettleDelivery(ctx, r.workspace, key, token, okrs.Delivery{State: okrs.DeliverySent}, idemTTL); err != nil {
				b.logError("remembering a handled submission", r, err)
			}
			return
		}
		if _, err := b.store.ReleaseDelivery(ctx, r.workspace, key, token); err != nil {
			b.logError("releasing a submission", r, err)
		}
	}
}
