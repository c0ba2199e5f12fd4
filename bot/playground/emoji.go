package playground

import "strings"

// bkEmoji maps Slack emoji shortcodes (without the colons) to Unicode: every
// shortcode okrbot uses plus common ones. Unknown shortcodes stay as text.
var bkEmoji = map[string]string{
	// Used by okrbot.
	"white_check_mark":       "✅",
	"large_green_circle":     "🟢",
	"large_yellow_circle":    "🟡",
	"red_circle":             "🔴",
	"white_circle":           "⚪",
	"rocket":                 "🚀",
	"warning":                "⚠️",
	"bulb":                   "💡",
	"hourglass":              "⌛",
	"hourglass_flowing_sand": "⏳",
	"mega":                   "📣",
	"newspaper":              "📰",
	"file_cabinet":           "🗄️",
	"spiral_calendar_pad":    "🗓️",
	"wave":                   "👋",
	"sunrise":                "🌅",
	"seedling":               "🌱",
	"eyes":                   "👀",
	"bar_chart":              "📊",
	"information_source":     "ℹ️",
	"tada":                   "🎉",

	// Used by proposals.
	"scissors":                  "✂️",
	"leftwards_arrow_with_hook": "↩️",

	// Common ones.
	"smile":                      "😄",
	"smiley":                     "😃",
	"grinning":                   "😀",
	"slightly_smiling_face":      "🙂",
	"wink":                       "😉",
	"joy":                        "😂",
	"sweat_smile":                "😅",
	"thinking_face":              "🤔",
	"disappointed":               "😞",
	"cry":                        "😢",
	"sob":                        "😭",
	"scream":                     "😱",
	"sunglasses":                 "😎",
	"partying_face":              "🥳",
	"heart":                      "❤️",
	"green_heart":                "💚",
	"+1":                         "👍",
	"thumbsup":                   "👍",
	"-1":                         "👎",
	"thumbsdown":                 "👎",
	"clap":                       "👏",
	"raised_hands":               "🙌",
	"pray":                       "🙏",
	"muscle":                     "💪",
	"ok_hand":                    "👌",
	"point_right":                "👉",
	"point_up":                   "☝️",
	"fire":                       "🔥",
	"heartbeat":                  "💓",
	"palm_tree":                  "🌴",
	"mortar_board":               "🎓",
	"star":                       "⭐",
	"star2":                      "🌟",
	"sparkles":                   "✨",
	"zap":                        "⚡",
	"boom":                       "💥",
	"100":                        "💯",
	"trophy":                     "🏆",
	"medal":                      "🏅",
	"dart":                       "🎯",
	"checkered_flag":             "🏁",
	"triangular_flag_on_post":    "🚩",
	"confetti_ball":              "🎊",
	"heavy_check_mark":           "✔️",
	"ballot_box_with_check":      "☑️",
	"x":                          "❌",
	"heavy_multiplication_x":     "✖️",
	"heavy_plus_sign":            "➕",
	"heavy_minus_sign":           "➖",
	"exclamation":                "❗",
	"question":                   "❓",
	"no_entry":                   "⛔",
	"no_entry_sign":              "🚫",
	"construction":               "🚧",
	"large_blue_circle":          "🔵",
	"large_orange_circle":        "🟠",
	"large_purple_circle":        "🟣",
	"black_circle":               "⚫",
	"arrow_right":                "➡️",
	"arrow_left":                 "⬅️",
	"arrow_up":                   "⬆️",
	"arrow_down":                 "⬇️",
	"arrow_upper_right":          "↗️",
	"arrow_lower_right":          "↘️",
	"arrows_counterclockwise":    "🔄",
	"chart_with_upwards_trend":   "📈",
	"chart_with_downwards_trend": "📉",
	"memo":                       "📝",
	"pencil2":                    "✏️",
	"clipboard":                  "📋",
	"pushpin":                    "📌",
	"round_pushpin":              "📍",
	"paperclip":                  "📎",
	"link":                       "🔗",
	"mag":                        "🔍",
	"bookmark":                   "🔖",
	"books":                      "📚",
	"calendar":                   "📆",
	"date":                       "📅",
	"spiral_note_pad":            "🗒️",
	"card_index_dividers":        "🗂️",
	"inbox_tray":                 "📥",
	"outbox_tray":                "📤",
	"package":                    "📦",
	"email":                      "📧",
	"envelope":                   "✉️",
	"speech_balloon":             "💬",
	"loudspeaker":                "📢",
	"bell":                       "🔔",
	"lock":                       "🔒",
	"key":                        "🔑",
	"gear":                       "⚙️",
	"hammer_and_wrench":          "🛠️",
	"alarm_clock":                "⏰",
	"stopwatch":                  "⏱️",
	"clock":                      "🕒",
	"zzz":                        "💤",
	"coffee":                     "☕",
	"busts_in_silhouette":        "👥",
	"bust_in_silhouette":         "👤",
	"robot_face":                 "🤖",
	"new":                        "🆕",
	"sos":                        "🆘",
}

// bkEmojiAt reports whether s[i:] starts with a known :shortcode: and returns
// its Unicode and the length of the shortcode including both colons.
func bkEmojiAt(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != ':' {
		return "", 0, false
	}
	end := strings.IndexByte(s[i+1:], ':')
	if end <= 0 || end > 64 {
		return "", 0, false
	}
	e, ok := bkEmoji[s[i+1:i+1+end]]
	return e, end + 2, ok
}

// bkReplaceEmoji replaces every known :shortcode: in s by its Unicode.
func bkReplaceEmoji(s string) string {
	if !strings.Contains(s, ":") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if e, n, ok := bkEmojiAt(s, i); ok {
			b.WriteString(e)
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
