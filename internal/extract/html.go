package extract

import (
	"io"
	"strings"

	"golang.org/x/net/html"
)

// MainText takes the article out of a saved web page: the text of its
// <article> (or <main>) if it has one, else of the element whose own
// paragraphs hold the most text; scripts, styles, navigation, headers,
// footers, forms and asides are left out. Paragraphs and headings become
// lines of their own, so that sentences do not run together.
func MainText(r io.Reader) (string, error) {
	doc, err := html.Parse(r)
	if err != nil {
		return "", err
	}
	title := ""
	var article, densest *html.Node
	most := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "noscript", "nav", "header", "footer", "form", "aside", "template", "svg":
				return
			case "title":
				if title == "" {
					title = strings.TrimSpace(textOf(n))
				}
				return
			case "article", "main":
				if article == nil {
					article = n
				}
			}
			if l := paragraphText(n); l > most {
				densest, most = n, l
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	best := article
	if best == nil {
		best = densest
	}
	var b strings.Builder
	if title != "" {
		b.WriteString(title + "\n\n")
	}
	if best != nil {
		writeText(&b, best)
	}
	return strings.TrimSpace(collapseLines(b.String())), nil
}

// paragraphText counts the text of the <p> elements directly under n: the
// body of an article, not its links and menus.
func paragraphText(n *html.Node) int {
	total := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "p" {
			total += len(strings.TrimSpace(textOf(c)))
		}
	}
	return total
}

func textOf(n *html.Node) string {
	var b strings.Builder
	writeText(&b, n)
	return b.String()
}

var blocks = map[string]bool{"p": true, "div": true, "br": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "li": true, "tr": true, "blockquote": true, "figcaption": true, "section": true, "article": true}

func writeText(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		switch n.Data {
		case "script", "style", "noscript", "nav", "form", "aside", "template", "svg":
			return
		}
		if blocks[n.Data] {
			b.WriteString("\n")
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		writeText(b, c)
	}
	if n.Type == html.ElementNode && blocks[n.Data] {
		b.WriteString("\n")
	}
}

// collapseLines trims each line and keeps at most one empty line between
// paragraphs.
func collapseLines(s string) string {
	var out []string
	empty := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			if !empty && len(out) > 0 {
				out = append(out, "")
			}
			empty = true
			continue
		}
		out = append(out, l)
		empty = false
	}
	return strings.Join(out, "\n")
}
