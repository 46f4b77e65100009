package export

import (
	"bufio"
	"fmt"
	"io"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// indicatorColumn is one column of the indicator catalogue (indicators.csv).
type indicatorColumn struct {
	Field
	get func(ind *stats.Indicator) Cell
}

// indicatorColumns are the columns of seed/indicators.csv, in its order:
// the catalogue a data user downloads is the one an editor imports.
var indicatorColumns = []indicatorColumn{
	{Field{"key", Code, Doc{VI: "Mã chỉ tiêu, không đổi; cột indicator của bảng số liệu trỏ tới nó.",
		EN: "Indicator key, stable; the figures' indicator column points to it.", Pattern: KeyPattern}},
		func(ind *stats.Indicator) Cell { return str(ind.Key) }},
	{Field{"category", Code, Doc{VI: "Mã nhóm công tác cán bộ của chỉ tiêu.", EN: "Code of the indicator's kind of personnel work.",
		Vocab: Categories, Pattern: `[a-z_]+`}},
		func(ind *stats.Indicator) Cell { return str(ind.Category) }},
	{Field{"unit", Code, Doc{VI: "Đơn vị của mọi số liệu thuộc chỉ tiêu.", EN: "The unit of every figure of the indicator.", Enum: stats.Units}},
		func(ind *stats.Indicator) Cell { return str(ind.Unit) }},
	{Field{"measure", Code, Doc{VI: "flow (trong kỳ), stock (tại một thời điểm) hoặc result (kết quả một đợt).",
		EN: "flow (over a period), stock (at a date) or result (what one round produces).", Enum: codes(stats.Measures)}},
		func(ind *stats.Indicator) Cell { return str(string(ind.Measure)) }},
	{Field{"name", Text, Doc{VI: "Tên chỉ tiêu (tiếng Việt).", EN: "The indicator's name in Vietnamese."}},
		func(ind *stats.Indicator) Cell { return str(ind.Name) }},
	{Field{"name_en", Text, Doc{VI: "Tên chỉ tiêu (tiếng Anh).", EN: "The indicator's name in English."}},
		func(ind *stats.Indicator) Cell { return str(ind.NameEN) }},
	{Field{"definition", Text, Doc{VI: "Định nghĩa: đếm gì (tiếng Việt).", EN: "Definition: what is counted (Vietnamese).", Optional: true}},
		func(ind *stats.Indicator) Cell { return optional(ind.Definition) }},
	{Field{"definition_en", Text, Doc{VI: "Định nghĩa (tiếng Anh).", EN: "Definition: what is counted (English).", Optional: true}},
		func(ind *stats.Indicator) Cell { return optional(ind.DefinitionEN) }},
	{Field{"includes", Text, Doc{VI: "Những gì được tính vào (tiếng Việt).", EN: "What it includes (Vietnamese).", Optional: true}},
		func(ind *stats.Indicator) Cell { return optional(ind.Includes) }},
	{Field{"includes_en", Text, Doc{VI: "Những gì được tính vào (tiếng Anh).", EN: "What it includes (English).", Optional: true}},
		func(ind *stats.Indicator) Cell { return optional(ind.IncludesEN) }},
	{Field{"excludes", Text, Doc{VI: "Những gì không được tính (tiếng Việt).", EN: "What it excludes (Vietnamese).", Optional: true}},
		func(ind *stats.Indicator) Cell { return optional(ind.Excludes) }},
	{Field{"excludes_en", Text, Doc{VI: "Những gì không được tính (tiếng Anh).", EN: "What it excludes (English).", Optional: true}},
		func(ind *stats.Indicator) Cell { return optional(ind.ExcludesEN) }},
	{Field{"denominator", Code, Doc{VI: "Chỉ tiêu dùng làm mẫu số: sub_units (số đơn vị trực thuộc), managed_cadres (cán bộ thuộc diện quản lý), posts (chức danh); trống với chỉ tiêu thường.",
		EN:       "A denominator indicator: sub_units (sub-units counted), managed_cadres (cadres managed), posts (posts); empty for an ordinary indicator.",
		Optional: true, Enum: stats.Denominators[1:]}},
		func(ind *stats.Indicator) Cell { return optional(ind.Denominator) }},
}

// IndicatorFields lists the columns of indicators.csv, in order.
func IndicatorFields() []Field {
	out := make([]Field, len(indicatorColumns))
	for i, c := range indicatorColumns {
		out[i] = c.Field
	}
	return out
}

// IndicatorsCSV writes the indicator catalogue as the figures' CSV is
// written: UTF-8 with a BOM, CRLF, text guarded against formulas.
func IndicatorsCSV(w io.Writer, inds []stats.Indicator) error {
	bw := bufio.NewWriter(w)
	b := append([]byte(nil), "\uFEFF"...)
	for i, c := range indicatorColumns {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendField(b, c.Name, false)
	}
	b = append(b, '\r', '\n')
	for i := range inds {
		for j, c := range indicatorColumns {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendCSV(b, c.Kind, c.get(&inds[i]))
		}
		b = append(b, '\r', '\n')
		if _, err := bw.Write(b); err != nil {
			return fmt.Errorf("write indicators csv: %w", err)
		}
		b = b[:0]
	}
	if _, err := bw.Write(b); err != nil {
		return fmt.Errorf("write indicators csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write indicators csv: %w", err)
	}
	return nil
}
