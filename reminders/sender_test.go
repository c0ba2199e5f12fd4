package reminders

import (
	"testing"
	"time"
)

func TestPacerSlowsDownOnPushBackAndRecovers(t *testing.T) {
	p := newPacer(100, 1)
	p.pause(10 * time.Millisecond)
	if r := p.rate(); r != 90 {
		t.Fatalf("after a 429 with no history: %v/s, want 90", r)
	}
	p.pause(10 * time.Millisecond) // a second caller hitting the same pause
	if r := p.rate(); r != 90 {
		t.Errorf("one pause slowed down twice: %v/s", r)
	}
	// Slack accepted 160 calls in the last 4 s (40/s): slow to just under that.
	now := time.Now()
	for i := range 161 {
		p.ok[i] = now.Add(-time.Duration(i) * 25 * time.Millisecond)
	}
	p.lastLimited, p.pauseUntil = time.Time{}, time.Time{}
	p.pause(time.Millisecond)
	if r := p.rate(); r < 38.6 || r > 38.9 {
		t.Errorf("after a 429 at 40/s accepted: %v/s, want about 38.8", r)
	}
	for range 40 {
		p.lastLimited = time.Time{}
		p.pause(time.Millisecond)
	}
	if r := p.rate(); r != 10 {
		t.Errorf("floor: %v/s, want a tenth of 100", r)
	}
	p.lastLimited = time.Now().Add(-time.Hour)
	p.success()
	if r := p.rate(); r < 10.15 || r > 10.25 {
		t.Errorf("after a quiet spell: %v/s, want 10.2", r)
	}
	p.success() // too soon for another step
	if r := p.rate(); r > 10.25 {
		t.Errorf("recovered twice at once: %v/s", r)
	}
}
