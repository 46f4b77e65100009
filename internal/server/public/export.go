package public

import (
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// exportCSV streams the figures the query selects, row by row from the
// database, so memory does not grow with the number of figures.
func (s *Handler) exportCSV(c echo.Context) error {
	f, err := render.FigureFilter(c.QueryParams(), s.Printer(c).Lang())
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.stats.CheckFilter(ctx, f); err != nil {
		return err
	}
	// The status goes out with the first row, once the query has answered:
	// a database that is down still gets a proper error, not an empty 200.
	var w *export.CSV
	start := func() error {
		name := fmt.Sprintf("cadrestats-figures-%s.csv", s.now().Format("2006-01-02"))
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
		c.Response().WriteHeader(http.StatusOK)
		var err error
		w, err = export.NewCSV(c.Response())
		return err
	}
	err = s.stats.StreamFigures(ctx, f, func(fig stats.Figure) error {
		if w == nil {
			if err := start(); err != nil {
				return err
			}
		}
		return w.Write(fig)
	})
	if err != nil {
		return err
	}
	if w == nil { // no figures: the header row alone
		if err := start(); err != nil {
			return err
		}
	}
	return w.Flush()
}

// xlsxDateFormats: Vietnamese readers write 28/10/2020; English readers
// Get ISO dates, which no English-speaking country misreads.
var xlsxDateFormats = map[i18n.Lang]string{i18n.VI: "dd/mm/yyyy", i18n.EN: "yyyy-mm-dd"}

// exportXLSX streams the workbook while figures come from the database.
// The status goes out with the workbook's first bytes, once the query has
// answered: a database that is down still gets a proper error.
func (s *Handler) exportXLSX(c echo.Context) error {
	f, err := render.FigureFilter(c.QueryParams(), s.Printer(c).Lang())
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.stats.CheckFilter(ctx, f); err != nil {
		return err
	}
	p := s.Printer(c)
	body := &startOnWrite{w: c.Response(), start: func() {
		name := fmt.Sprintf("cadrestats-figures-%s.xlsx", s.now().Format("2006-01-02"))
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
		c.Response().WriteHeader(http.StatusOK)
	}}
	w, err := export.NewXLSX(body, export.XLSXOptions{
		FiguresSheet: p.T("export.sheet.figures"),
		SourcesSheet: p.T("export.sheet.sources"),
		DateFormat:   xlsxDateFormats[p.Lang()],
		Sources: func(ids []int64, fn func(stats.Source) error) error {
			return s.stats.EachSource(ctx, ids, fn)
		},
	})
	if err != nil {
		return err
	}
	defer w.Close() // on an error, nothing may write to the response after the handler
	if err := s.stats.StreamFigures(ctx, f, w.Write); err != nil {
		return err
	}
	return w.Flush()
}

// startOnWrite calls start before the first bytes reach w.
type startOnWrite struct {
	w       io.Writer
	start   func()
	started bool
}

func (s *startOnWrite) Write(b []byte) (int, error) {
	if !s.started {
		s.started = true
		s.start()
	}
	return s.w.Write(b)
}
