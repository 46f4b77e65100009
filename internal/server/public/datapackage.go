package public

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/datapackage"
	"github.com/cadrestats/cadrestats/internal/export"
)

// dataPackage answers /datapackage.json: the Frictionless descriptor of
// /export.csv and /indicators.csv. Its vocabularies (categories, terms)
// and outlets come from the database, so it changes with the data and is
// revalidated and cached as the pages are (httpkit: ETag, page cache).
func (s *Handler) dataPackage(c echo.Context) error {
	ctx := c.Request().Context()
	cats, err := s.stats.Categories(ctx)
	if err != nil {
		return err
	}
	terms, err := s.stats.Terms(ctx)
	if err != nil {
		return err
	}
	outlets, err := s.stats.Outlets(ctx)
	if err != nil {
		return err
	}
	cat := datapackage.Catalog{Outlets: outlets}
	for _, c := range cats {
		cat.Categories = append(cat.Categories, c.Code)
	}
	for _, t := range terms {
		cat.Terms = append(cat.Terms, t.Key)
	}
	p, err := datapackage.Build(cat)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("encode data package: %w", err)
	}
	// application/json: what the standard's tools and browsers expect of
	// a descriptor (there is no registered type of its own).
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, b.Bytes())
}

// indicatorsCSV answers /indicators.csv: the live indicators, as
// seed/indicators.csv lists them, for the data package's second resource.
func (s *Handler) indicatorsCSV(c echo.Context) error {
	inds, err := s.stats.Indicators(c.Request().Context())
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := export.IndicatorsCSV(&b, inds); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `inline; filename="cadrestats-indicators.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
}
