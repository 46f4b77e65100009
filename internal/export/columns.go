package export

import (
	"time"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// Kind says how a column's cells are typed: CSV prints them, XLSX stores
// them as numbers, dates or text, JSON as numbers, strings or null.
type Kind uint8

const (
	// Code is text from a closed vocabulary (slugs, codes, levels): no
	// person types it, so it needs no guard against formulas.
	Code Kind = iota
	// Text is typed by people (names, subjects, titles, quotes): CSV
	// guards it against spreadsheet formulas.
	Text
	Int
	Number
	Date
	Bool
)

// Cell is one typed value. Which field holds it depends on the column's
// Kind; Null marks an empty optional value (empty in CSV and XLSX, null in
// JSON).
type Cell struct {
	Str  string
	Int  int64
	Num  float64
	Date time.Time
	Bool bool
	Null bool
}

// Column is one column of the export contract: its name, its type, what
// it means and where its value comes from. The table below is the only
// mapping from a figure to cells; CSV, XLSX and JSON all read it, and the
// data package (internal/datapackage) describes each column from its Doc,
// so that no column is exported without being described.
type Column struct {
	Field
	get func(f *stats.Figure) Cell
}

// Field is a column as a data user reads it: name, type and Doc.
type Field struct {
	Name string
	Kind Kind
	Doc  Doc
}

// Doc says what a column means, in Vietnamese and English, and which
// constraints every exported cell meets: the rules the database and the
// domain already enforce, stated for the people who take the data away.
type Doc struct {
	VI, EN string
	// Optional: the cell may be empty. Empty means not applicable or not
	// reported, never zero.
	Optional bool
	// Enum is a closed vocabulary fixed in code (the domain's lists).
	Enum []string
	// Vocab is a closed vocabulary kept in the database, listed when the
	// package is built.
	Vocab Vocab
	// Min is a lower bound (Min <= value, or Min < value when
	// ExclusiveMin); Max an upper bound. Nil: none.
	Min, Max     *float64
	ExclusiveMin bool
	// Pattern is a regular expression the whole cell matches (implicitly
	// anchored, as Table Schema's XML Schema patterns are).
	Pattern string
}

// Vocab names a vocabulary the database holds.
type Vocab uint8

const (
	NoVocab Vocab = iota
	// Categories: the category codes.
	Categories
	// Terms: the term keys.
	Terms
	// Indicators: the indicator keys, the first column of indicators.csv
	// (a foreign key in the data package).
	Indicators
)

// KeyPattern is what the database accepts as a slug or key.
const KeyPattern = `[a-z0-9]+(-[a-z0-9]+)*`

func codes[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func bound(v float64) *float64 { return &v }

func str(s string) Cell { return Cell{Str: s} }

// optional is a code that may be absent ("" in the figure).
func optional(s string) Cell { return Cell{Str: s, Null: s == ""} }

func date(t time.Time) Cell { return Cell{Date: t} }

// maxValue is what numeric(14, 2) holds, and the domain's cap.
const maxValue = 1e12

var columns = []Column{
	{Field{"id", Int, Doc{VI: "Mã số liệu, không đổi; các cột parent_id, sub_units_id, base_id trỏ tới nó.",
		EN: "Figure id, stable; parent_id, sub_units_id and base_id point to it.", Min: bound(1)}},
		func(f *stats.Figure) Cell { return Cell{Int: f.ID} }},
	{Field{"locality", Text, Doc{VI: "Tên địa phương, không kèm tiền tố hành chính (tỉnh, huyện, xã…).",
		EN: "The locality's name without its administrative prefix (province, district, commune…)."}},
		func(f *stats.Figure) Cell { return str(f.Locality.Name) }},
	{Field{"locality_level", Code, Doc{VI: "Cấp hành chính của địa phương khi bài báo đưa tin.",
		EN: "The locality's administrative level when the article reported it.", Enum: codes(stats.Levels)}},
		func(f *stats.Figure) Cell { return str(string(f.Locality.Level)) }},
	{Field{"province", Text, Doc{VI: "Tỉnh, thành phố trực thuộc trung ương chứa địa phương (chính nó nếu là tỉnh); để trống với cấp trung ương.",
		EN: "The province or centrally-run city the locality belongs to (itself for a province); empty for the central level.", Optional: true}},
		func(f *stats.Figure) Cell { return str(f.Locality.ProvinceName) }},
	{Field{"category", Code, Doc{VI: "Mã nhóm công tác cán bộ (bổ nhiệm, luân chuyển, đào tạo…).",
		EN: "Code of the kind of personnel work (appointment, rotation, training…).", Vocab: Categories, Pattern: `[a-z_]+`}},
		func(f *stats.Figure) Cell { return str(f.Category.Code) }},
	{Field{"subject", Text, Doc{VI: "Đối tượng được đếm, như bài báo viết (\"trưởng phòng\").",
		EN: "What was counted, as the article words it (in Vietnamese)."}},
		func(f *stats.Figure) Cell { return str(f.Subject) }},
	{Field{"value", Number, Doc{VI: "Giá trị, số thập phân có dấu chấm (7200, 62.5), theo đơn vị ở cột unit. Không bao giờ trống: một số liệu không được báo cáo thì không có dòng.",
		EN:  "The value, a plain decimal (7200, 62.5), in the unit of column unit. Never empty: a figure not reported has no row.",
		Min: bound(0), Max: bound(maxValue)}},
		func(f *stats.Figure) Cell { return Cell{Num: f.Value} }},
	{Field{"unit", Code, Doc{VI: "Đơn vị: người, lượt, trường hợp, phần trăm (0–100), văn bản, tổ chức, xã, đơn vị.",
		EN: "Unit: persons, turns, cases, percent (0–100), documents, organisations, communes, units.", Enum: stats.Units}},
		func(f *stats.Figure) Cell { return str(f.Unit) }},
	{Field{"qualifier", Code, Doc{VI: "Độ chính xác của con số in: exact (chính xác), at_least (\"hơn\", ít nhất), approximate (khoảng).",
		EN: "How exact the printed number is: exact, at_least (\"more than\"), approximate.", Enum: stats.Qualifiers}},
		func(f *stats.Figure) Cell { return str(f.Qualifier) }},
	{Field{"period_start", Date, Doc{VI: "Ngày đầu kỳ số liệu (ISO 8601).", EN: "First day of the figure's period (ISO 8601)."}},
		func(f *stats.Figure) Cell { return date(f.PeriodStart) }},
	{Field{"period_end", Date, Doc{VI: "Ngày cuối kỳ (ISO 8601), không trước period_start; với số liệu thời điểm (stock) là ngày đếm.",
		EN: "Last day of the period (ISO 8601), not before period_start; for a count at a date (stock), that date."}},
		func(f *stats.Figure) Cell { return date(f.PeriodEnd) }},
	{Field{"term", Code, Doc{VI: "Mã nhiệm kỳ hoặc kỳ quy hoạch mà bài báo nêu; trống khi bài không nêu.",
		EN:       "Key of the party term or planning period the article names; empty when it names none.",
		Optional: true, Vocab: Terms, Pattern: KeyPattern}},
		func(f *stats.Figure) Cell {
			if f.Term == nil {
				return Cell{Null: true}
			}
			return str(f.Term.Key)
		}},
	{Field{"source_title", Text, Doc{VI: "Tiêu đề bài báo nguồn.", EN: "Title of the source article."}},
		func(f *stats.Figure) Cell { return str(f.Source.Title) }},
	{Field{"source_outlet", Text, Doc{VI: "Cơ quan báo chí đăng bài (\"Báo Quảng Ninh\").", EN: "The outlet that published the article."}},
		func(f *stats.Figure) Cell { return str(f.Source.Outlet) }},
	{Field{"source_published", Date, Doc{VI: "Ngày đăng bài (ISO 8601).", EN: "Date the article was published (ISO 8601)."}},
		func(f *stats.Figure) Cell { return date(f.Source.PublishedOn) }},
	{Field{"quote", Text, Doc{VI: "Câu trích nguyên văn từ bài báo, chứa con số.", EN: "The sentence quoted verbatim from the article, holding the number."}},
		func(f *stats.Figure) Cell { return str(f.Quote) }},
	{Field{"locality_slug", Code, Doc{VI: "Mã địa phương, không đổi (/localities/{slug}).", EN: "The locality's stable key (/localities/{slug}).", Pattern: KeyPattern}},
		func(f *stats.Figure) Cell { return str(f.Locality.Slug) }},
	{Field{"source_key", Code, Doc{VI: "Mã bài báo nguồn, không đổi.", EN: "The source article's stable key.", Pattern: KeyPattern}},
		func(f *stats.Figure) Cell { return str(f.Source.Key) }},
	{Field{"denominator", Number, Doc{VI: "Mẫu số mà bài báo nêu cùng giá trị (\"4/17 xã\": value 4, denominator 17), không nhỏ hơn value; trống khi bài không nêu.",
		EN:       "The denominator the article gives with the value (\"4/17 communes\": value 4, denominator 17), not below value; empty when it gives none.",
		Optional: true, Min: bound(0), ExclusiveMin: true, Max: bound(maxValue)}},
		func(f *stats.Figure) Cell {
			if f.Denominator == nil {
				return Cell{Null: true}
			}
			return Cell{Num: *f.Denominator}
		}},
	{Field{"from_level", Code, Doc{VI: "Luân chuyển: cấp đi; trống với số liệu khác.", EN: "Rotations: the level moved from; empty for other figures.",
		Optional: true, Enum: codes(stats.Tiers)}},
		func(f *stats.Figure) Cell { return optional(string(f.FromLevel)) }},
	{Field{"to_level", Code, Doc{VI: "Luân chuyển: cấp đến; trống với số liệu khác.", EN: "Rotations: the level moved to; empty for other figures.",
		Optional: true, Enum: codes(stats.Tiers)}},
		func(f *stats.Figure) Cell { return optional(string(f.ToLevel)) }},
	{Field{"parent_id", Int, Doc{VI: "Mã số liệu tổng mà số liệu này là một phần (completeness = part); trống nếu không. Cộng cả hai là đếm hai lần.",
		EN:       "Id of the total this figure is a part of (completeness = part); empty otherwise. Adding both counts twice.",
		Optional: true, Min: bound(1)}},
		func(f *stats.Figure) Cell {
			if f.ParentID == nil {
				return Cell{Null: true}
			}
			return Cell{Int: *f.ParentID}
		}},
	{Field{"measure", Code, Doc{VI: "Cách cộng gộp: flow (trong kỳ, có thể tính theo năm), stock (tại một thời điểm, không cộng qua các ngày), result (kết quả một đợt, như đánh giá năm).",
		EN:   "How it combines: flow (over the period, may be annualised), stock (at a date, never summed across dates), result (what one round produces, as a year's evaluation).",
		Enum: codes(stats.Measures)}},
		func(f *stats.Figure) Cell { return str(string(f.Measure())) }},
	{Field{"indicator", Code, Doc{VI: "Mã chỉ tiêu (xem indicators.csv); trống khi số liệu không thuộc chỉ tiêu nào và không được so sánh.",
		EN:       "Indicator key (see indicators.csv); empty when the figure fits no indicator and is never compared.",
		Optional: true, Vocab: Indicators, Pattern: KeyPattern}},
		func(f *stats.Figure) Cell {
			if f.Indicator == nil {
				return Cell{Null: true}
			}
			return str(f.Indicator.Key)
		}},
	{Field{"completeness", Code, Doc{VI: "Mức đầy đủ: complete (toàn bộ), lower_bound (ít nhất, hoặc danh sách bài gọi là ví dụ), part (một phần của parent_id).",
		EN:   "Completeness: complete (the whole count), lower_bound (at least, or a list the article calls examples), part (a part of parent_id).",
		Enum: stats.Completenesses}},
		func(f *stats.Figure) Cell { return str(f.Completeness) }},
	{Field{"rank", Code, Doc{VI: "Khi các nguồn khác nhau: preferred (ưu tiên), normal, deprecated (không dùng để so sánh).",
		EN: "Where sources disagree: preferred, normal, deprecated (never compared).", Enum: stats.Ranks}},
		func(f *stats.Figure) Cell { return str(f.Rank) }},
	{Field{"rank_reason", Text, Doc{VI: "Lý do xếp hạng preferred hoặc deprecated; trống với normal.",
		EN: "Why the figure is preferred or deprecated; empty for normal.", Optional: true}},
		func(f *stats.Figure) Cell { return optional(f.RankReason) }},
	{Field{"target", Bool, Doc{VI: "true: chỉ tiêu, kế hoạch (không phải kết quả); false: kết quả.",
		EN: "true: a target or plan, not a result; false: a result."}},
		func(f *stats.Figure) Cell { return Cell{Bool: f.Target} }},
	{Field{"scope", Code, Doc{VI: "Phạm vi: own (của chính đơn vị), sub_units (tổng các đơn vị trực thuộc), all_levels (đơn vị và mọi cấp dưới).",
		EN:   "Scope: own (the unit's own count), sub_units (a sum over its sub-units), all_levels (the unit and every level below).",
		Enum: stats.Scopes}},
		func(f *stats.Figure) Cell { return str(f.Scope) }},
	{Field{"sub_units_id", Int, Doc{VI: "Mã số liệu đếm số đơn vị trực thuộc mà tổng sub_units cộng qua; trống nếu không có.",
		EN: "Id of the figure counting the sub-units a sub_units sum runs over; empty when none.", Optional: true, Min: bound(1)}},
		func(f *stats.Figure) Cell { return optID(f.SubUnitsID) }},
	{Field{"base_id", Int, Doc{VI: "Mã số liệu cán bộ hoặc chức danh làm mẫu số (trên 100 cán bộ); trống nếu không có.",
		EN: "Id of the figure of cadres or posts this one can be read against (per 100 cadres); empty when none.", Optional: true, Min: bound(1)}},
		func(f *stats.Figure) Cell { return optID(f.BaseID) }},
}

func optID(id *int64) Cell {
	if id == nil {
		return Cell{Null: true}
	}
	return Cell{Int: *id}
}

// Columns is the export contract: the first sixteen are fixed in this
// order; the rest make an export importable again (new columns are only
// ever appended).
var Columns = func() []string {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = c.Name
	}
	return names
}()

// Fields lists the export's columns as a data user reads them, in order.
func Fields() []Field {
	out := make([]Field, len(columns))
	for i, c := range columns {
		out[i] = c.Field
	}
	return out
}

// cells fills dst (len(columns) long, reused across rows so that a long
// export allocates nothing per row here) with f's cells in column order.
func cells(f *stats.Figure, dst []Cell) {
	for i, c := range columns {
		dst[i] = c.get(f)
	}
}

// newRow returns a buffer for cells.
func newRow() []Cell { return make([]Cell, len(columns)) }

// dateOnly is how CSV and JSON write dates: ISO 8601, as the seed files.
const dateOnly = time.DateOnly
