package okrs

// AchievementOf returns the achievement the key result has when its value is
// v: what Achievement would say with Current at v. Charts use it to score
// each check-in of a key result's history the way its status is scored.
func (kr *KeyResult) AchievementOf(v float64) float64 {
	return achievement(kr.Kind, kr.Start, kr.Target, v)
}
