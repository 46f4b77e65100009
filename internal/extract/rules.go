package extract

import "sync"

// The rules are tables of the words Vietnamese reports use, provincial and
// central alike. Each category and indicator row carries an example
// sentence that a test runs through Extract: a rule without a passing
// example does not exist.

// strength orders the cues that propose a category: an action named next
// to a number ("bổ nhiệm 8 trưởng phòng") beats the nouns that describe a
// body ("cán bộ diện Huyện ủy quản lý"), which beat a bare "có" or "là".
type strength uint8

const (
	stockVerb strength = iota + 1 // "huyện có 43 ủy viên": a headcount
	context                       // nouns of the workforce or the party
	action                        // what was done to people
)

type categoryRule struct {
	category string
	strength strength
	cues     []string
	example  string
}

// categoryTable proposes a figure's category from the cue nearest to its
// number among the strongest present. On a tie the earlier row wins.
var categoryTable = []categoryRule{
	{"planning_removal", action, []string{"đưa ra khỏi quy hoạch", "ra khỏi quy hoạch", "rút khỏi quy hoạch",
		"loại khỏi quy hoạch", "loại ra khỏi quy hoạch", "không đưa vào quy hoạch"},
		"Năm 2023, Ban Thường vụ Tỉnh ủy đưa ra khỏi quy hoạch 12 đồng chí."},
	{"planning_addition", action, []string{"bổ sung quy hoạch", "bổ sung vào quy hoạch", "đưa vào quy hoạch",
		"quy hoạch bổ sung", "bổ sung nguồn quy hoạch"},
		"Năm 2022, thành phố bổ sung quy hoạch 25 cán bộ trẻ."},
	{"discipline", action, []string{"kỷ luật", "khiển trách", "cảnh cáo", "cách chức", "khai trừ", "giáng chức",
		"buộc thôi việc", "xóa tên", "đình chỉ sinh hoạt", "khi có dấu hiệu vi phạm", "có dấu hiệu vi phạm"},
		"Năm 2022, Ủy ban Kiểm tra Tỉnh ủy đã thi hành kỷ luật 37 đảng viên."},
	{"streamlining", action, []string{"tinh giản", "giảm biên chế", "cắt giảm biên chế", "nghỉ hưu trước tuổi",
		"nghỉ hưu sớm"},
		"Giai đoạn 2016 - 2021, tỉnh đã tinh giản biên chế 1.215 người."},
	{"recruitment", action, []string{"tuyển dụng", "thi tuyển", "xét tuyển", "trúng tuyển"},
		"Năm 2021, tỉnh tuyển dụng 312 công chức, viên chức."},
	{"nomination", action, []string{"ứng cử", "đề cử", "giới thiệu bầu", "giới thiệu để bầu", "giới thiệu nhân sự"},
		"Nhiệm kỳ 2015 - 2020, huyện giới thiệu 9 đồng chí ứng cử các chức danh lãnh đạo."},
	{"evaluation", action, []string{"xếp loại", "đánh giá", "hoàn thành xuất sắc", "hoàn thành tốt",
		"không hoàn thành", "hoàn thành nhiệm vụ", "hoàn thành chức trách", "tín nhiệm", "phân loại"},
		"Năm 2020, có 215 cán bộ được xếp loại hoàn thành tốt nhiệm vụ."},
	{"placement", action, []string{"kiện toàn", "bổ sung chức danh", "bổ sung các chức danh", "bố trí",
		"không phải là người địa phương", "không phải người địa phương", "đồng thời là chủ tịch",
		"nhất thể hóa", "kiêm nhiệm", "kiêm chủ tịch", "bầu", "bầu bổ sung", "miễn nhiệm",
		"thôi giữ chức vụ", "thôi giữ chức", "cho thôi chức", "cho từ chức", "từ chức"},
		"Năm 2021, tỉnh kiện toàn 14 chức danh lãnh đạo các sở, ngành."},
	{"appointment", action, []string{"bổ nhiệm", "đề bạt", "bổ nhiệm lại"},
		"Năm 2022, Ban Thường vụ Tỉnh ủy đã bổ nhiệm 48 cán bộ."},
	{"rotation", action, []string{"luân chuyển", "điều động", "tiếp nhận", "biệt phái", "chuyển công tác",
		"chuyển đổi vị trí công tác", "tăng cường cán bộ", "cử đi tăng cường", "cán bộ tăng cường"},
		"Năm 2019, tỉnh luân chuyển 26 cán bộ lãnh đạo, quản lý."},
	{"training", action, []string{"đào tạo", "bồi dưỡng", "đi học", "cử đi học", "theo học", "tốt nghiệp",
		"tập huấn", "lớp", "học viên", "loại giỏi", "loại khá", "loại xuất sắc"},
		"Năm 2021, huyện cử 40 cán bộ đi học các lớp chuyên môn."},
	{"planning", action, []string{"quy hoạch"},
		"Hiện nay, có 126 cán bộ trong quy hoạch các chức danh lãnh đạo chủ chốt."},
	{"party", action, []string{"kết nạp"},
		"Năm 2020, toàn tỉnh kết nạp 1.350 đảng viên mới."},
	{"party", context, []string{"đảng viên", "đảng viên nữ", "đảng viên trẻ", "tổ chức cơ sở đảng", "tổ chức đảng", "chi bộ", "đảng bộ cơ sở"},
		"Đảng bộ tỉnh hiện có 52.300 đảng viên."},
	{"workforce", context, []string{"ủy viên", "ban chấp hành", "công chức", "viên chức", "biên chế",
		"ủy quản lý", "trung ương quản lý", "chính trị quản lý", "bí thư quản lý", "chủ chốt", "đội ngũ",
		"cán bộ nữ", "cán bộ trẻ", "dân tộc thiểu số", "tỷ lệ", "nữ", "cấp ủy", "tái cử", "ban thường vụ"},
		"Hiện nay, tỉnh có 180 cán bộ diện Ban Thường vụ Tỉnh ủy quản lý."},
	{"workforce", stockVerb, []string{"có", "là", "gồm", "tổng số", "tổng cộng", "chiếm", "hiện có"},
		"Lãnh đạo các phòng, ban của huyện có 45 đồng chí."},
}

// forcedByUnit: some units fix the category whatever the verbs say.
var forcedByUnit = map[string]string{"documents": "documents", "units": "units"}

// measures are the categories' measures, for figures without an indicator.
var measures = map[string]string{
	"appointment": "flow", "rotation": "flow", "training": "flow", "planning_removal": "flow",
	"planning_addition": "flow", "planning": "stock", "evaluation": "result", "nomination": "flow",
	"placement": "stock", "workforce": "stock", "documents": "flow", "discipline": "flow",
	"recruitment": "flow", "streamlining": "flow", "party": "stock", "units": "stock",
}

// managed says whose standing committee manages the cadres an indicator
// counts: "cán bộ diện BTV Huyện ủy quản lý" in a district is its own,
// "diện BTV Tỉnh ủy quản lý" a higher level's.
type managed uint8

const (
	anyManager    managed = iota
	ownManager            // the locality's own committee is named
	notHigher             // own, or none named
	higherManager         // a higher committee is named
)

type indicatorRule struct {
	key      string
	category string
	unit     string
	measure  string
	all      [][]string // each group must have a cue in the context
	not      []string   // no such cue in the context
	managed  managed
	inherit  bool // the cue may sit in an earlier clause of the sentence ("…, bổ sung 2 đồng chí")
	fallback bool // the category's catch-all: tried after every specific rule failed
	example  string
}

// indicatorTable is tried in order within a figure's category and unit:
// first on the figure's own clause, then with its total's clause, then
// (for rules that inherit) with the clauses before it; fallbacks last.
var indicatorTable = []indicatorRule{
	{key: "appointed-division-deputies", category: "appointment", unit: "persons", measure: "flow",
		all: [][]string{{"phó trưởng phòng", "phó phòng", "phó trưởng ban chuyên môn"}}, not: []string{"bổ nhiệm lại"},
		example: "Năm 2018, huyện bổ nhiệm 6 phó trưởng phòng chuyên môn."},
	{key: "appointed-division-heads", category: "appointment", unit: "persons", measure: "flow",
		all: [][]string{{"trưởng phòng"}}, not: []string{"phó trưởng phòng", "phó phòng", "bổ nhiệm lại"},
		example: "Năm 2018, huyện bổ nhiệm 5 trưởng phòng chuyên môn."},
	{key: "appointment-cases", category: "appointment", unit: "cases", measure: "flow",
		all:     [][]string{{"bổ nhiệm", "đề bạt"}},
		example: "Năm 2022, Thành ủy đã đề bạt, bổ nhiệm, bổ nhiệm lại 23 trường hợp."},
	{key: "appointed-or-reappointed", category: "appointment", unit: "persons", measure: "flow",
		all:     [][]string{{"bổ nhiệm lại"}, {"bổ nhiệm !lại", "đề bạt"}},
		example: "Năm 2021, tỉnh bổ nhiệm, bổ nhiệm lại 64 cán bộ diện Ban Thường vụ Tỉnh ủy quản lý."},
	{key: "reappointed", category: "appointment", unit: "persons", measure: "flow",
		all: [][]string{{"bổ nhiệm lại"}}, not: []string{"bổ nhiệm !lại", "đề bạt"},
		example: "Năm 2021, có 31 đồng chí được bổ nhiệm lại."},
	{key: "appointed-leaders", category: "appointment", unit: "persons", measure: "flow",
		all: [][]string{{"bổ nhiệm !lại", "đề bạt"}}, not: []string{"bổ nhiệm lại"},
		example: "Năm 2022, Ban Thường vụ Tỉnh ủy đã đề bạt, bổ nhiệm 52 cán bộ."},

	{key: "rotation-turns", category: "rotation", unit: "turns", measure: "flow",
		all:     [][]string{{"luân chuyển", "điều động"}},
		example: "Năm 2019, thành phố đã luân chuyển, điều động 20 lượt cán bộ."},
	{key: "rotated", category: "rotation", unit: "persons", measure: "flow",
		all: [][]string{{"luân chuyển"}}, not: []string{"điều động", "tiếp nhận", "biệt phái"},
		example: "Từ đầu nhiệm kỳ đến nay, tỉnh đã luân chuyển 35 cán bộ từ tỉnh về huyện."},
	{key: "transferred", category: "rotation", unit: "persons", measure: "flow",
		all: [][]string{{"điều động", "tiếp nhận", "biệt phái", "chuyển công tác"}}, not: []string{"luân chuyển"},
		example: "Năm 2020, tỉnh điều động 17 cán bộ từ huyện lên tỉnh."},

	// What a course gave (issue 18): its graduates, grades and commendations.
	{key: "trainees-commended", category: "training", unit: "persons", measure: "result",
		all:     [][]string{{"khen thưởng", "giấy khen", "bằng khen"}},
		example: "Bế giảng lớp, nhà trường đã khen thưởng 6 học viên có thành tích xuất sắc."},
	{key: "trainees-rated-excellent", category: "training", unit: "persons", measure: "result",
		all:     [][]string{{"loại giỏi", "loại xuất sắc", "tốt nghiệp xuất sắc"}},
		example: "Kết thúc khóa học, 42 học viên đạt loại giỏi."},
	{key: "trainees-rated-good", category: "training", unit: "persons", measure: "result",
		all:     [][]string{{"loại khá"}},
		example: "Toàn lớp có 52 học viên đạt loại khá."},
	{key: "trainees-graduated", category: "training", unit: "persons", measure: "result",
		all: [][]string{{"tốt nghiệp", "cấp bằng", "bằng tốt nghiệp", "cấp chứng chỉ", "giấy chứng nhận", "hoàn thành chương trình",
			"đạt yêu cầu"}, {"học viên", "lớp", "khóa học"}}, // "310 đồng chí tốt nghiệp trung cấp" reached a level
		not:     []string{"cử", "đi học", "trình độ"},
		example: "Lớp trung cấp lý luận chính trị có 76 học viên tốt nghiệp."},
	{key: "registered-training-abroad", category: "training", unit: "persons", measure: "flow",
		all:     [][]string{{"đăng ký"}, {"nước ngoài"}},
		example: "Năm 2019, tỉnh đăng ký 6 đồng chí tham gia bồi dưỡng ở nước ngoài."},
	// Sent to a course is not trained to its level (issue 17): "cử đi học"
	// counts people starting a course, "được đào tạo trình độ" those who
	// reached the level.
	{key: "sent-senior-political-theory", category: "training", unit: "persons", measure: "flow",
		all:     [][]string{{"cao cấp lý luận", "cao cấp chính trị"}, {"cử", "đi học", "theo học", "triệu tập"}},
		not:     []string{"trình độ", "tốt nghiệp"},
		example: "Năm 2020, tỉnh cử 85 đồng chí đi học cao cấp lý luận chính trị."},
	{key: "sent-intermediate-political-theory", category: "training", unit: "persons", measure: "flow",
		all:     [][]string{{"trung cấp lý luận", "trung cấp chính trị"}, {"cử", "đi học", "theo học", "triệu tập"}},
		not:     []string{"trình độ", "tốt nghiệp"},
		example: "Năm 2020, huyện cử 120 đồng chí đi học trung cấp lý luận chính trị - hành chính."},
	{key: "trained-senior-political-theory", category: "training", unit: "persons", measure: "flow",
		all:     [][]string{{"cao cấp lý luận", "cao cấp chính trị"}},
		example: "Giai đoạn 2016 - 2020, có 64 đồng chí được đào tạo trình độ cao cấp lý luận chính trị."},
	{key: "trained-intermediate-political-theory", category: "training", unit: "persons", measure: "flow",
		all:     [][]string{{"trung cấp lý luận", "trung cấp chính trị"}},
		example: "Giai đoạn 2016 - 2020, có 310 đồng chí tốt nghiệp trung cấp lý luận chính trị - hành chính."},
	{key: "trained-state-management", category: "training", unit: "persons", measure: "flow",
		all:     [][]string{{"quản lý nhà nước", "chuyên viên chính", "chuyên viên cao cấp", "chương trình chuyên viên"}},
		example: "Năm 2021, có 60 công chức được bồi dưỡng ngạch chuyên viên chính."},
	{key: "trained-leadership-skills", category: "training", unit: "persons", measure: "flow",
		all:     [][]string{{"kỹ năng lãnh đạo"}},
		example: "Năm 2021, có 150 cán bộ được bồi dưỡng kỹ năng lãnh đạo, quản lý."},
	{key: "trained-masters", category: "training", unit: "persons", measure: "flow",
		all:     [][]string{{"thạc sĩ", "cao học"}},
		example: "Giai đoạn 2016 - 2020, tỉnh cử 42 cán bộ đi đào tạo thạc sĩ."},
	{key: "trained-doctorate", category: "training", unit: "persons", measure: "flow",
		all:     [][]string{{"tiến sĩ", "nghiên cứu sinh"}},
		example: "Giai đoạn 2016 - 2020, có 7 cán bộ được đào tạo tiến sĩ."},
	{key: "trained-total", category: "training", unit: "persons", measure: "flow", fallback: true,
		all:     [][]string{{"đào tạo"}, {"bồi dưỡng"}},
		example: "Năm 2022, toàn tỉnh đào tạo, bồi dưỡng 2.450 cán bộ, công chức."},

	{key: "removed-from-key-post-planning", category: "planning_removal", unit: "persons", measure: "flow",
		all: [][]string{{"chủ chốt"}}, inherit: true,
		example: "Năm 2020, huyện đưa ra khỏi quy hoạch các chức danh lãnh đạo chủ chốt 3 đồng chí."},
	{key: "removed-from-committee-planning", category: "planning_removal", unit: "persons", measure: "flow",
		all: [][]string{{"ban chấp hành", "cấp ủy"}}, inherit: true,
		example: "Năm 2020, huyện đưa 5 đồng chí ra khỏi quy hoạch ủy viên Ban Chấp hành Đảng bộ huyện."},
	{key: "removed-from-planning", category: "planning_removal", unit: "persons", measure: "flow", fallback: true,
		example: "Năm 2021, tỉnh đưa ra khỏi quy hoạch 18 cán bộ."},
	{key: "added-to-key-post-planning", category: "planning_addition", unit: "persons", measure: "flow",
		all: [][]string{{"chủ chốt"}}, inherit: true,
		example: "Năm 2020, huyện bổ sung quy hoạch các chức danh lãnh đạo chủ chốt 6 đồng chí."},
	{key: "added-to-committee-planning", category: "planning_addition", unit: "persons", measure: "flow",
		all: [][]string{{"ban chấp hành", "cấp ủy"}}, inherit: true,
		example: "Năm 2020, huyện bổ sung quy hoạch ủy viên Ban Chấp hành Đảng bộ huyện 8 đồng chí."},
	{key: "added-to-planning", category: "planning_addition", unit: "persons", measure: "flow", fallback: true,
		example: "Năm 2021, tỉnh bổ sung vào quy hoạch 30 cán bộ trẻ."},
	{key: "in-planning-pool", category: "planning", unit: "persons", measure: "stock", fallback: true,
		example: "Hiện nay, toàn tỉnh có 412 cán bộ được quy hoạch."},

	{key: "rated-excellent-share", category: "evaluation", unit: "percent", measure: "result",
		all:     [][]string{{"hoàn thành xuất sắc"}},
		example: "Năm 2022, có 18,5% cán bộ được xếp loại hoàn thành xuất sắc nhiệm vụ."},
	{key: "higher-managed-rated-excellent", category: "evaluation", unit: "persons", measure: "result",
		all: [][]string{{"hoàn thành xuất sắc"}}, not: []string{"đảng viên"}, managed: higherManager,
		example: "Năm 2019, 9/9 cán bộ diện Ban Thường vụ Tỉnh ủy quản lý hoàn thành xuất sắc nhiệm vụ."},
	{key: "rated-not-completed", category: "evaluation", unit: "persons", measure: "result",
		all: [][]string{{"không hoàn thành"}}, not: []string{"đảng viên"}, managed: notHigher,
		example: "Năm 2019, có 3 cán bộ không hoàn thành nhiệm vụ."},
	{key: "rated-excellent", category: "evaluation", unit: "persons", measure: "result",
		all: [][]string{{"hoàn thành xuất sắc"}}, not: []string{"đảng viên"}, managed: notHigher,
		example: "Năm 2019, có 120 cán bộ được đánh giá hoàn thành xuất sắc nhiệm vụ."},
	{key: "rated-good", category: "evaluation", unit: "persons", measure: "result",
		all: [][]string{{"hoàn thành tốt"}}, not: []string{"đảng viên"}, managed: notHigher,
		example: "Năm 2019, có 340 cán bộ hoàn thành tốt nhiệm vụ."},
	{key: "rated-completed", category: "evaluation", unit: "persons", measure: "result",
		all: [][]string{{"hoàn thành nhiệm vụ", "hoàn thành chức trách"}},
		not: []string{"không hoàn thành", "xuất sắc", "hoàn thành tốt", "đảng viên"}, managed: notHigher,
		example: "Năm 2019, có 25 cán bộ hoàn thành nhiệm vụ."},
	{key: "evaluated", category: "evaluation", unit: "persons", measure: "result",
		all:     [][]string{{"tổng số", "được đánh giá", "xếp loại"}},
		not:     []string{"hoàn thành", "đảng viên"},
		managed: notHigher,
		example: "Năm 2019, tổng số cán bộ được đánh giá, xếp loại là 486 người."},

	{key: "nominated", category: "nomination", unit: "persons", measure: "flow", fallback: true,
		example: "Năm 2021, tỉnh giới thiệu 12 đồng chí ứng cử đại biểu Quốc hội."},

	{key: "non-local-secretaries", category: "placement", unit: "communes", measure: "stock",
		all:     [][]string{{"bí thư"}, {"không phải là người địa phương", "không phải người địa phương"}},
		example: "Hiện nay, có 21 xã bố trí bí thư đảng ủy không phải là người địa phương."},
	{key: "secretary-chair-communes", category: "placement", unit: "communes", measure: "stock",
		all:     [][]string{{"bí thư"}, {"đồng thời là chủ tịch", "kiêm chủ tịch", "nhất thể hóa"}},
		example: "Hiện nay, toàn huyện có 9 xã thực hiện bí thư đảng ủy đồng thời là chủ tịch UBND xã."},
	// "kiện toàn … các chức danh … diện BTV Thành ủy quản lý gồm 13 đồng
	// chí": the size of the completed team, not 13 placements.
	{key: "higher-managed-team-completed", category: "placement", unit: "persons", measure: "stock",
		all: [][]string{{"kiện toàn"}, {"gồm"}}, managed: higherManager,
		example: "Đến nay, đã kiện toàn các chức danh lãnh đạo diện Ban Thường vụ Tỉnh ủy quản lý gồm 11 đồng chí."},
	{key: "elected-to-posts", category: "placement", unit: "persons", measure: "flow",
		all:     [][]string{{"bầu"}},
		example: "Tại kỳ họp thứ nhất, Hội đồng nhân dân huyện đã bầu 2 phó chủ tịch Ủy ban nhân dân huyện."},
	{key: "posts-staffed", category: "placement", unit: "persons", measure: "flow",
		all:     [][]string{{"kiện toàn", "bổ sung chức danh", "bổ sung các chức danh"}},
		example: "Năm 2021, tỉnh kiện toàn, bổ sung chức danh lãnh đạo cho 27 đồng chí."},

	{key: "women-leaders-share", category: "workforce", unit: "percent", measure: "stock",
		all:     [][]string{{"nữ"}, {"lãnh đạo", "quản lý"}},
		example: "Hiện nay, tỷ lệ cán bộ nữ giữ chức vụ lãnh đạo, quản lý đạt 17,98%."},
	{key: "managed-cadres-women", category: "workforce", unit: "persons", measure: "stock",
		all: [][]string{{"nữ"}}, managed: ownManager,
		example: "Hiện nay, có 95 cán bộ nữ diện Ban Thường vụ Huyện ủy quản lý."},
	{key: "higher-managed-cadres", category: "workforce", unit: "persons", measure: "stock", managed: higherManager,
		example: "Hiện nay, huyện có 15 cán bộ diện Ban Thường vụ Tỉnh ủy quản lý."},
	{key: "managed-cadres", category: "workforce", unit: "persons", measure: "stock", managed: ownManager,
		example: "Hiện nay, huyện có 390 cán bộ diện Ban Thường vụ Huyện ủy quản lý."},
	{key: "committee-members", category: "workforce", unit: "persons", measure: "stock",
		all:     [][]string{{"ban chấp hành", "cấp ủy viên"}},
		example: "Ban Chấp hành Đảng bộ huyện khóa mới có 39 ủy viên."},
	{key: "division-leaders", category: "workforce", unit: "persons", measure: "stock",
		all:     [][]string{{"trưởng phó phòng", "trưởng, phó trưởng phòng", "trưởng phòng, phó trưởng phòng"}},
		example: "Cán bộ cấp trưởng, phó phòng chuyên môn thuộc UBND huyện có 48 đồng chí."},
	{key: "key-commune-cadres", category: "workforce", unit: "persons", measure: "stock",
		all:     [][]string{{"chủ chốt"}, {"xã", "cấp xã", "cơ sở", "phường", "thị trấn"}},
		example: "Cán bộ chủ chốt cấp xã của huyện có 132 người."},
	{key: "civil-servants", category: "workforce", unit: "persons", measure: "stock",
		all:     [][]string{{"cán bộ công chức viên chức", "cán bộ công chức", "công chức viên chức"}},
		example: "Toàn tỉnh hiện có hơn 21.804 cán bộ, công chức, viên chức."},

	{key: "evaluation-documents-issued", category: "documents", unit: "documents", measure: "flow",
		all:     [][]string{{"đánh giá"}},
		example: "Nhiệm kỳ 2015 - 2020, Ban Thường vụ ban hành 9 văn bản về công tác đánh giá cán bộ."},
	{key: "documents-issued", category: "documents", unit: "documents", measure: "flow", fallback: true,
		example: "Nhiệm kỳ 2015 - 2020, Tỉnh ủy ban hành 56 văn bản về công tác cán bộ."},

	{key: "disciplined-organisations", category: "discipline", unit: "organisations", measure: "flow", fallback: true,
		example: "Năm 2022, đã thi hành kỷ luật 4 tổ chức đảng."},
	{key: "disciplined-party-members", category: "discipline", unit: "persons", measure: "flow",
		all: [][]string{{"đảng viên"}}, not: []string{"cán bộ", "công chức", "viên chức"},
		example: "Năm 2022, Ủy ban Kiểm tra các cấp đã thi hành kỷ luật 215 đảng viên."},
	{key: "disciplined-cadres", category: "discipline", unit: "persons", measure: "flow",
		all: [][]string{{"cán bộ", "công chức", "viên chức"}}, not: []string{"đảng viên"},
		example: "Năm 2022, toàn tỉnh kỷ luật 48 cán bộ, công chức vi phạm."},
	{key: "recruited", category: "recruitment", unit: "persons", measure: "flow", fallback: true,
		example: "Năm 2023, huyện tuyển dụng 58 viên chức giáo dục."},
	{key: "staff-reduced", category: "streamlining", unit: "persons", measure: "flow", fallback: true,
		example: "Năm 2020, tỉnh tinh giản biên chế 310 người."},
	{key: "district-units", category: "units", unit: "units", measure: "stock",
		all:     [][]string{{"cấp huyện", "huyện, thị xã, thành phố"}},
		example: "Tỉnh hiện có 9 đơn vị hành chính cấp huyện."},
	{key: "commune-units", category: "units", unit: "units", measure: "stock", fallback: true,
		example: "Huyện hiện có 21 đơn vị hành chính cấp xã."},
	{key: "party-base-organisations", category: "party", unit: "organisations", measure: "stock",
		all:     [][]string{{"tổ chức cơ sở đảng", "đảng bộ cơ sở", "chi bộ cơ sở"}},
		example: "Đảng bộ huyện hiện có 48 tổ chức cơ sở đảng."},
	{key: "party-members", category: "party", unit: "persons", measure: "stock",
		all: [][]string{{"đảng viên"}}, not: []string{"kết nạp"},
		example: "Đảng bộ huyện hiện có hơn 7.200 đảng viên."},
}

// unitTable reads a figure's unit from the noun that follows its number
// (the longest that fits: "xã, phường, thị trấn" before "xã").
var unitTable = []struct {
	unit  string
	nouns []string
}{
	{"percent", []string{"%", "phần trăm"}},
	{"turns", []string{"lượt", "đợt"}},
	{"cases", []string{"trường hợp", "vụ việc", "vụ"}},
	{"documents", []string{"văn bản", "nghị quyết", "quyết định", "quy định", "kế hoạch", "hướng dẫn", "chỉ thị",
		"kết luận", "đề án", "thông báo", "công văn", "quy chế", "báo cáo", "tờ trình"}},
	// Administrative units are counted as denominators (issue 17).
	{"units", []string{"đơn vị hành chính cấp huyện", "đơn vị hành chính cấp xã", "đơn vị hành chính",
		"huyện, thị xã, thành phố", "huyện, thành phố, thị xã", "huyện, thành phố", "huyện, thị xã", "quận, huyện",
		"huyện", "tỉnh, thành phố", "tỉnh, thành"}},
	{"communes", []string{"xã, phường, thị trấn", "xã, thị trấn", "xã", "phường", "thị trấn"}},
	{"organisations", []string{"tổ chức cơ sở đảng", "tổ chức đảng", "tổ chức", "chi bộ", "đảng bộ", "cơ quan",
		"đơn vị", "tập thể"}},
	{"persons", []string{"đồng chí", "đ/c", "người", "cán bộ", "công chức", "viên chức", "đảng viên", "ủy viên",
		"cấp ủy viên", "trưởng phòng", "phó trưởng phòng", "trưởng ban", "phó trưởng ban", "giám đốc",
		"phó giám đốc", "bí thư", "phó bí thư", "chủ tịch", "phó chủ tịch", "lãnh đạo", "học viên", "thành viên",
		"nhân sự", "nữ", "thạc sĩ", "tiến sĩ", "hiệu trưởng", "chuyên viên", "cá nhân", "giáo viên",
		"biên chế", "quần chúng", "sĩ quan", "chức danh"}},
}

// genericUnits count people or acts without saying who: a subject says more.
var genericUnits = []string{"đồng chí", "đ/c", "người", "lượt", "trường hợp", "đợt"}

// qualifierTable reads how exact a number is from the words just before it
// (or just after, "50 người trở lên"). Longer phrases are tried first.
var qualifierTable = []struct {
	qualifier string
	before    []string
	after     []string
}{
	{"approximate", []string{"gần như", "trên dưới", "xấp xỉ", "khoảng", "gần", "ước tính", "ước", "chừng", "hàng"}, nil},
	{"at_least", []string{"có hơn", "hơn", "trên", "ngoài", "ít nhất", "tối thiểu", "vượt"}, []string{"trở lên"}},
}

// Words that make a list partial: "điển hình", "như", "một số … như".
var (
	examplesMarkers = []string{"điển hình", "tiêu biểu", "chẳng hạn", "ví dụ", "trong đó có"}
	likeMarker      = "như"
	notLike         = []string{"cũng như", "như vậy", "như sau", "như nhau", "như thế", "như trên", "như là", "như cũ",
		"như quy định", "giống như", "như một"}
)

// Words that open the parts of a total, and words that name a total.
var (
	partsMarkers = []string{"trong đó", "trong số đó", "trong số này", "bao gồm", "gồm có", "gồm"}
	totalMarkers = []string{"tổng số", "tổng cộng", "trong số !đó !này"}
)

// Quantities without digits start a group of their own: in "4 cán bộ …
// được luân chuyển và một số đồng chí được điều động từ cơ sở lên huyện"
// the direction after "một số" is not the 4's.
var quantityWords = []string{"một số", "nhiều", "hàng chục", "hàng trăm", "hàng nghìn", "một vài", "đa số",
	"phần lớn", "hầu hết"}

// masked names contain cue words that are not cues: a "Trung tâm Bồi dưỡng
// chính trị" trains no one in the sentence that names it.
var masked = []string{"trung tâm bồi dưỡng chính trị", "trường chính trị", "học viện chính trị", "ban tổ chức",
	"tổ chức kỷ luật", "kỷ luật, kỷ cương", "tầng lớp", "lớp trẻ", "ủy ban kiểm tra", "thực hiện nghiêm túc"}

// outside are signs that a count of people is not about personnel work
// (delegates, awards, aid): listed apart unless an action cue is present.
var outside = []string{"tham dự", "đại biểu", "khen thưởng", "bằng khen", "giấy khen", "trao tặng", "tặng quà",
	"hỗ trợ", "học sinh", "hộ nghèo", "thăm hỏi"}

// A commendation is personnel work when a course gave it: "4 đồng chí
// được Trường Chính trị tỉnh khen thưởng" counts trainees.
var (
	commendWords = []string{"khen thưởng", "giấy khen", "bằng khen"}
	courseWords  = []string{"trường chính trị", "học viện", "học tập", "khóa học", "nhà trường", "lớp", "bế giảng",
		"học viên", "trung tâm chính trị", "ban giám hiệu"}
)

// A party congress or committee electing its own members fills no post:
// "Đại hội đã bầu 33 đồng chí vào Ban Chấp hành" counts committee members.
var partyElection = []string{"vào ban chấp hành", "vào ban thường vụ", "vào cấp ủy", "đại hội", "ban chấp hành"}

// centralCues place a figure at the national level: the Politburo, the
// Secretariat, cadres managed by the Central Committee. "của Bộ Chính trị"
// after a document names who issued it, not who acted.
var (
	centralCues   = []string{"bộ chính trị", "ban bí thư", "trung ương quản lý", "ban chấp hành trung ương", "ủy viên trung ương", "ban tổ chức trung ương"}
	centralNotAft = []string{"của", "theo", "quy định", "nghị quyết", "kết luận", "chỉ thị", "hướng dẫn", "đề án", "kế hoạch", "quyết định"}
)

// targetWords mark a plan or target rather than a result.
var targetWords = []string{"phấn đấu", "mục tiêu", "chỉ tiêu", "dự kiến", "sẽ"}

// Administrative levels as rotation reports name them. "thành phố" is
// read with the article's locality (a provincial city is district level).
var levelTable = []struct {
	level string
	words []string
}{
	{"national", []string{"trung ương", "tw", "t.ư", "bộ, ngành trung ương", "các bộ, ngành trung ương",
		"cơ quan trung ương", "các cơ quan trung ương"}},
	{"province", []string{"tỉnh", "cấp tỉnh", "sở, ngành", "sở, ban, ngành"}},
	{"district", []string{"huyện", "quận", "thị xã", "cấp huyện"}},
	{"commune", []string{"xã", "phường", "thị trấn", "cơ sở", "cấp xã", "cấp cơ sở", "xã, phường, thị trấn"}},
}

var (
	fromMarkers = []string{"từ"}
	toMarkers   = []string{"về", "lên", "xuống", "sang", "đến", "tới", "ở", "tại", "cho"}
)

// committees manage cadres ("diện BTV Tỉnh ủy quản lý"): whose level?
var committeeTable = []struct {
	level string // "city": a thành ủy is the province's or the provincial city's
	words []string
}{
	{"national", []string{"trung ương", "bộ chính trị", "ban bí thư"}},
	{"province", []string{"tỉnh ủy"}},
	{"city", []string{"thành ủy"}},
	{"district", []string{"huyện ủy", "quận ủy", "thị ủy"}},
	{"commune", []string{"đảng ủy"}},
}

// Numbers that are not counts, told by their neighbours.
var (
	viewWords     = []string{"lượt xem", "lượt đọc", "lượt truy cập", "lượt thích", "lượt chia sẻ", "lượt bình luận", "views"}
	pageBefore    = []string{"trang", "hiển thị", "tel", "điện thoại", "đt", "fax", "hotline", "gmt", "utc", "ảnh", "mã", "bình luận", "ý kiến"}
	pageAfter     = []string{"kết quả", "bình luận", "ý kiến"}
	docNouns      = []string{"nghị quyết", "quyết định", "kết luận", "chỉ thị", "hướng dẫn", "kế hoạch", "đề án", "quy định", "thông báo", "công văn", "nghị định", "thông tư", "chương trình", "chương trình hành động", "tờ trình", "báo cáo", "quy chế", "công điện", "điều", "khoản", "pháp lệnh", "dự án", "văn bản"}
	ordinalBefore = []string{"thứ", "lần thứ", "khóa", "đại hội", "kỳ họp", "phiên", "đợt", "vòng", "hạng", "tập", "lần", "số thứ tự"}
	plenumBefore  = []string{"nghị quyết trung ương", "hội nghị trung ương", "nghị quyết hội nghị trung ương"}
	ageWords      = []string{"tuổi"}
	dayWords      = []string{"ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "rạng sáng", "sáng ngày", "chiều ngày", "tối ngày"}
	durationUnits = []string{"năm", "tháng", "ngày", "tuần", "giờ", "phút", "nhiệm kỳ", "khóa", "kỳ", "quý", "thập kỷ", "buổi"}
	moneyUnits    = []string{"triệu", "tỷ", "nghìn đồng", "ngàn đồng", "usd", "vnđ", "vnd", "đô la", "đồng !chí !bào !thời !ý !tâm !lòng !nghiệp !hương !bằng !đều !loạt !bộ !ruộng"}
	yearWords     = []string{"năm", "giai đoạn", "nhiệm kỳ", "từ", "đến", "tới", "khóa", "niên khóa", "trước", "sau", "cuối", "đầu", "tháng", "quý", "-"}
)

// rules are the tables compiled once, on first use.
type rules struct {
	categories []compiledCategory
	indicators []compiledIndicator
	units      []compiledUnit
	generic    []phrase
	qualifiers []compiledQualifier
	examples   []phrase
	like       phrase
	notLike    []phrase
	parts      []phrase
	totals     []phrase
	quantities []phrase
	masked     []phrase
	outside    []phrase
	central    []phrase
	centralNot []phrase
	levels     []compiledLevel
	from, to   []phrase
	committees []compiledLevel
	views      []phrase
	pageBefore []phrase
	pageAfter  []phrase
	docNouns   []phrase
	ordinals   []phrase
	plenum     []phrase
	ages       []phrase
	days       []phrase
	durations  []phrase
	money      []phrase
	yearWords  []phrase
	managing   phrase // "quản lý"
	comparison []phrase
	some       []phrase
	changes    []phrase
	so         []phrase
	notSo      []phrase
	quarter    []phrase
	targets    []phrase
	shareOf    []phrase // "chiếm": a share of the count before it
	commend    []phrase
	course     []phrase
	partyVote  []phrase
	persons    []phrase          // the person nouns of unitTable
	words      map[string]string // timeWords, folded
}

type compiledCategory struct {
	categoryRule
	cues []phrase
}

type compiledIndicator struct {
	indicatorRule
	all [][]phrase
	not []phrase
}

type compiledUnit struct {
	unit  string
	nouns []phrase
}

type compiledQualifier struct {
	qualifier     string
	before, after []phrase
}

type compiledLevel struct {
	level string
	words []phrase
}

var compiledRules = sync.OnceValue(func() *rules {
	r := &rules{}
	for _, c := range categoryTable {
		r.categories = append(r.categories, compiledCategory{c, compileAll(c.cues)})
	}
	for _, ir := range indicatorTable {
		ci := compiledIndicator{indicatorRule: ir, not: compileAll(ir.not)}
		for _, g := range ir.all {
			ci.all = append(ci.all, compileAll(g))
		}
		r.indicators = append(r.indicators, ci)
	}
	for _, u := range unitTable {
		r.units = append(r.units, compiledUnit{u.unit, compileAll(u.nouns)})
	}
	r.generic = compileAll(genericUnits)
	for _, q := range qualifierTable {
		r.qualifiers = append(r.qualifiers, compiledQualifier{q.qualifier, compileAll(q.before), compileAll(q.after)})
	}
	r.examples = compileAll(examplesMarkers)
	r.like = compile(likeMarker)
	r.notLike = compileAll(notLike)
	r.parts = compileAll(partsMarkers)
	r.totals = compileAll(totalMarkers)
	r.quantities = compileAll(quantityWords)
	r.masked = compileAll(masked)
	r.outside = compileAll(outside)
	r.central = compileAll(centralCues)
	r.centralNot = compileAll(centralNotAft)
	for _, l := range levelTable {
		r.levels = append(r.levels, compiledLevel{l.level, compileAll(l.words)})
	}
	r.from = compileAll(fromMarkers)
	r.to = compileAll(toMarkers)
	for _, l := range committeeTable {
		r.committees = append(r.committees, compiledLevel{l.level, compileAll(l.words)})
	}
	r.views = compileAll(viewWords)
	r.pageBefore = compileAll(pageBefore)
	r.pageAfter = compileAll(pageAfter)
	r.docNouns = compileAll(docNouns)
	r.ordinals = compileAll(ordinalBefore)
	r.plenum = compileAll(plenumBefore)
	r.ages = compileAll(ageWords)
	r.days = compileAll(dayWords)
	r.durations = compileAll(durationUnits)
	r.money = compileAll(moneyUnits)
	r.yearWords = compileAll(yearWords)
	r.managing = compile("quản lý")
	r.comparison = compileAll([]string{"so với", "so"})
	r.some = compileAll([]string{"một số"})
	r.changes = compileAll([]string{"tăng", "giảm", "tăng thêm", "giảm đi", "tăng lên", "giảm xuống"})
	r.so = compileAll([]string{"số"})
	r.notSo = compileAll([]string{"tổng", "trong", "một", "đa", "phần"})
	r.quarter = compileAll([]string{"quý"})
	r.targets = compileAll(targetWords)
	r.commend = compileAll(commendWords)
	r.course = compileAll(courseWords)
	r.partyVote = compileAll(partyElection)
	r.shareOf = compileAll([]string{"chiếm", "bằng", "đạt tỷ lệ"})
	for _, u := range r.units {
		if u.unit == "persons" {
			r.persons = u.nouns
		}
	}
	r.words = map[string]string{}
	for _, w := range timeWords {
		r.words[w] = fold(w)
	}
	return r
})
