package public

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// chartView is a chart as the "chart" template draws it (see charts.js
// for the HTML contract): the chart plus the texts and links around it.
type chartView struct {
	chart.Chart
	TableRows       template.HTML // the rows of Table (chartTableRows)
	CSVURL          string
	EmptyText       string
	NullText        string
	ShowTable       string
	ShowChart       string
	TableTitle      string
	DefinitionLabel string
	MapURL          string // the province map of the same comparison (comparison charts)
	MapLabel        string
	Embed           *embedCode // nil: no embed action (embed.go)
}

// chartSettings reads the reader's choices for charts from the query:
// ?per=year shows flows per year of their period, ?per=reported as
// reported; ?base=unit per sub-unit, ?base=cadres per 100 cadres managed,
// ?base=reported as reported; without them the rules choose (stats.View).
func chartSettings(p *i18n.Printer, q url.Values) (chart.Settings, error) {
	view, err := stats.ParseView(q.Get("per"), q.Get("base"))
	if err != nil {
		return chart.Settings{}, err
	}
	return chart.Settings{P: p, English: p.Lang() == i18n.EN, PerYear: view.Per == stats.PerYear, View: view}, nil
}

// viewChart adds what the template needs; csvPath is the chart's CSV
// address, to which the page's own query is added so that the download
// holds exactly what the chart shows.
func viewChart(p *i18n.Printer, c chart.Chart, csvPath string, q url.Values) chartView {
	return chartView{
		Chart:           c,
		TableRows:       chartTableRows(c.Table.Rows),
		CSVURL:          render.WithParams(csvPath, q),
		EmptyText:       p.T("chart.no_data_chart"),
		NullText:        p.T("chart.no_data"),
		ShowTable:       p.T("chart.show_table"),
		ShowChart:       p.T("chart.show_chart"),
		TableTitle:      p.T("chart.table_caption", c.Title),
		DefinitionLabel: p.T("chart.definition"),
	}
}

// writeChartCSV answers with a chart's records.
func (s *Handler) writeChartCSV(c echo.Context, name string, ch chart.Chart) error {
	rows := make([][]string, 0, len(ch.Records))
	for _, r := range ch.Records {
		rows = append(rows, r.CSV(ch.ID))
	}
	return s.writeCSV(c, name, chart.CSVHeader, rows, chart.CSVTextColumns)
}

// writeCSV answers with a CSV file: UTF-8 with a BOM (Excel reads
// Vietnamese letters then), the typed text columns guarded against
// formulas.
func (s *Handler) writeCSV(c echo.Context, name string, header []string, rows [][]string, textColumns []int) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="cadrestats-%s-%s.csv"`, name, s.now().Format("2006-01-02")))
	c.Response().WriteHeader(http.StatusOK)
	if _, err := c.Response().Write([]byte("\uFEFF")); err != nil {
		return fmt.Errorf("write csv %s: %w", name, err)
	}
	w := csv.NewWriter(c.Response())
	w.UseCRLF = true
	if err := w.Write(header); err != nil {
		return fmt.Errorf("write csv %s: %w", name, err)
	}
	for _, cells := range rows {
		for _, i := range textColumns {
			cells[i] = export.Neutralize(cells[i])
		}
		if err := w.Write(cells); err != nil {
			return fmt.Errorf("write csv %s: %w", name, err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write csv %s: %w", name, err)
	}
	return nil
}

// chartFile reads "{id}.csv" from the route; anything else names nothing.
func chartFile(c echo.Context) (string, error) {
	id, ok := strings.CutSuffix(c.Param("file"), ".csv")
	if !ok || id == "" {
		return "", stats.ErrNotFound
	}
	return id, nil
}

func findChart(cs []chart.Chart, id string) (chart.Chart, error) {
	i := slices.IndexFunc(cs, func(c chart.Chart) bool { return c.ID == id })
	if i < 0 {
		return chart.Chart{}, fmt.Errorf("chart %q: %w", id, stats.ErrNotFound)
	}
	return cs[i], nil
}
