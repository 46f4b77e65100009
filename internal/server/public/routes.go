package public

import "github.com/labstack/echo/v4"

// Routes lists every public route: pages, chart CSVs, exports and the API.
// A signed-in editor sees edit links on the pages (MaybeUser).
func (s *Handler) Routes(e *echo.Echo) {
	e.GET("/", s.overview, s.sessions.MaybeUser)
	e.GET("/charts/:file", s.overviewChartCSV) // {chart id}.csv, same query as the page
	e.GET("/map", s.provinceMap)               // provincemap.go: the provinces coloured by one comparison
	e.GET("/map.csv", s.provinceMapCSV)        // the map's table, same query as the page
	e.GET("/localities/:slug", s.locality, s.sessions.MaybeUser)
	e.GET("/localities/:slug/charts/:file", s.localityChartCSV)
	// One chart for other sites' iframes, or its image ({id}.png): embed.go.
	e.GET("/embed/charts/:file", s.embedOverviewChart)
	e.GET("/embed/localities/:slug/charts/:file", s.embedLocalityChart)
	e.GET("/figures", s.figures, s.sessions.MaybeUser)
	e.GET("/sources", s.sources)
	e.GET("/sources/:id", s.source, s.sessions.MaybeUser)
	e.GET("/about", s.about)
	e.GET("/export.csv", s.exportCSV)
	e.GET("/export.xlsx", s.exportXLSX)
	e.GET("/indicators.csv", s.indicatorsCSV) // the indicator catalogue (datapackage.go)
	e.GET("/datapackage.json", s.dataPackage) // the Frictionless descriptor of both CSVs
	e.GET("/api/figures", s.apiFigures)
	e.GET("/api/localities", s.apiLocalities) // the locality picker's search (picker_api.go)
	e.GET("/api/sources", s.apiSources)       // the source picker's search (picker_api.go)
}
