package enrich

import (
	"os"
	"path/filepath"
	"strings"
)

// seedPath is the seed article, relative to the package directory.
var seedPath = filepath.Join("..", "..", "..", "shared", "seeds", "000_3e7309714ba7935b.txt")

// readSeed returns the seed article's non-empty lines, one per paragraph.
func readSeed() ([]string, error) {
	data, err := os.ReadFile(seedPath)
	if err != nil {
		return nil, err
	}
	var paras []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) != "" {
			paras = append(paras, l)
		}
	}
	return paras, nil
}

// sampleParagraphs are original briefing-style paragraphs used when the
// seed is absent.
var sampleParagraphs = []string{
	"The head of MI5, Ken McCallum, warned that Iranian state actors had backed more than twenty plots on British soil in the past year, and that Russia’s GRU was recruiting criminals online.",
	"Prosecutors at the Crown Prosecution Service said two men would stand trial at the Old Bailey accused of spying for China under the National Security Act.",
	"Counter Terrorism Policing arrested a 16-year-old in Birmingham on suspicion of preparing acts of terrorism after he pledged allegiance to Islamic State.",
	"McCallum said the number of minors radicalised online had risen sharply, with Isis and al-Qaeda propaganda circulating on encrypted platforms.",
	"The National Cyber Security Centre attributed the ransomware attack on the hospital network to a Russian-speaking criminal group linked to the FSB.",
	"Downing Street declined to comment, but Conservative and Labour MPs demanded a statement in the Commons on Beijing’s surveillance of Hong Kong activists in the UK.",
}
