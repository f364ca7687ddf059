package enrich

import (
	"strings"
	"unicode/utf8"
)

// foldTable maps Latin letters with diacritics to their unaccented ASCII
// forms. It covers Latin-1, Latin Extended-A and the letters of Turkish,
// Romanian, Polish, Czech, Vietnamese-free Western transliterations that
// news text uses; other runes are kept.
var foldTable = map[rune]string{
	'À': "A", 'Á': "A", 'Â': "A", 'Ã': "A", 'Ä': "A", 'Å': "A", 'Ā': "A", 'Ă': "A", 'Ą': "A",
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'Ç': "C", 'Ć': "C", 'Č': "C", 'Ĉ': "C", 'Ċ': "C", 'ç': "c", 'ć': "c", 'č': "c", 'ĉ': "c", 'ċ': "c",
	'Ď': "D", 'Đ': "D", 'ď': "d", 'đ': "d", 'Ð': "D", 'ð': "d",
	'È': "E", 'É': "E", 'Ê': "E", 'Ë': "E", 'Ē': "E", 'Ė': "E", 'Ę': "E", 'Ě': "E", 'Ĕ': "E",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e", 'ĕ': "e",
	'Ğ': "G", 'Ģ': "G", 'Ġ': "G", 'ğ': "g", 'ģ': "g", 'ġ': "g", 'Ħ': "H", 'ħ': "h",
	'Ì': "I", 'Í': "I", 'Î': "I", 'Ï': "I", 'Ī': "I", 'Į': "I", 'İ': "I", 'Ĭ': "I",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'į': "i", 'ı': "i", 'ĭ': "i",
	'Ķ': "K", 'ķ': "k", 'Ĺ': "L", 'Ļ': "L", 'Ľ': "L", 'Ł': "L", 'ĺ': "l", 'ļ': "l", 'ľ': "l", 'ł': "l",
	'Ñ': "N", 'Ń': "N", 'Ņ': "N", 'Ň': "N", 'ñ': "n", 'ń': "n", 'ņ': "n", 'ň': "n",
	'Ò': "O", 'Ó': "O", 'Ô': "O", 'Õ': "O", 'Ö': "O", 'Ø': "O", 'Ō': "O", 'Ő': "O", 'Ŏ': "O",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o", 'ŏ': "o",
	'Ŕ': "R", 'Ř': "R", 'ŕ': "r", 'ř': "r",
	'Ś': "S", 'Ş': "S", 'Š': "S", 'Ș': "S", 'ś': "s", 'ş': "s", 'š': "s", 'ș': "s", 'ß': "ss",
	'Ţ': "T", 'Ť': "T", 'Ț': "T", 'ţ': "t", 'ť': "t", 'ț': "t",
	'Ù': "U", 'Ú': "U", 'Û': "U", 'Ü': "U", 'Ū': "U", 'Ů': "U", 'Ű': "U", 'Ų': "U", 'Ŭ': "U",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u", 'ų': "u", 'ŭ': "u",
	'Ý': "Y", 'Ÿ': "Y", 'ý': "y", 'ÿ': "y",
	'Ź': "Z", 'Ż': "Z", 'Ž': "Z", 'ź': "z", 'ż': "z", 'ž': "z",
	'Æ': "AE", 'æ': "ae", 'Œ': "OE", 'œ': "oe", 'Þ': "Th", 'þ': "th",
}

// fold returns s with the diacritics of Latin letters removed ("António
// Guterres" → "Antonio Guterres", "Erdoğan" → "Erdogan"), and whether it
// changed anything. ASCII strings are returned as they are, without
// allocating.
func fold(s string) (string, bool) {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	changed := false
	for _, r := range s[i:] {
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
			changed = true
			continue
		}
		b.WriteRune(r)
	}
	if !changed {
		return s, false
	}
	return b.String(), true
}

// Fold returns s with the diacritics of Latin letters removed, as the
// tagger compares names: "António Guterres" and "Antonio Guterres" fold
// to the same string.
func Fold(s string) string {
	f, _ := fold(s)
	return f
}
