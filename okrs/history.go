package okrs

import "time"

// AchievementOf returns the achievement the key result has when its value is
// v: what Achievement would say with Current at v. Charts use it to score
// each check-in of a key result's history the way its status is scored.
func (kr *KeyResult) AchievementOf(v float64) float64 {
	return achievement(kr.Kind, kr.Start, kr.Target, v)
}

// FlatCheckIns is how many check-ins in a row without movement make a key
// result flat.
const FlatCheckIns = 3

// FlatButOnTrack reports whether the key result is marked on track, is
// behind pace at now, and its value has not moved for its last
// FlatCheckIns check-ins: each of them reported the value of the one before
// (or the start, before the first). It needs the key result's CheckIns
// (newest first); check-ins after now are ignored. Without enough of them it
// answers false.
func (kr *KeyResult) FlatButOnTrack(c Cycle, now time.Time) bool {
	if kr.Confidence.Level != OnTrack || kr.Pace(c, now) != Behind {
		return false
	}
	vals := make([]float64, 0, FlatCheckIns+1) // newest first
	for _, ci := range kr.CheckIns {
		if ci.At.After(now) {
			continue
		}
		vals = append(vals, ci.Value)
		if len(vals) == FlatCheckIns+1 {
			break
		}
	}
	if len(vals) < FlatCheckIns {
		return false
	}
	before := kr.Start
	if len(vals) > FlatCheckIns {
		before = vals[FlatCheckIns]
	}
	for _, v := range vals[:FlatCheckIns] {
		if v != before {
			return false
		}
	}
	return true
}
