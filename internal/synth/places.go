package synth

// province is a province-level unit as it stood before 1 July 2025, and
// the province it belongs to since ("" when it was not merged).
type province struct {
	name, prefix string
	into         string // the new province's name; "" when unchanged
}

// provinces are the 63 units of before the 2025 reorganisation, and the
// 34 of after it: the 11 left unchanged and the 23 the other 52 were
// merged into (Nghị quyết 202/2025/QH15). The names are real; districts
// and communes below them are invented.
var provinces = []province{
	{"Hà Nội", "thành phố", ""},
	{"Hà Giang", "tỉnh", "Tuyên Quang"},
	{"Cao Bằng", "tỉnh", ""},
	{"Bắc Kạn", "tỉnh", "Thái Nguyên"},
	{"Tuyên Quang", "tỉnh", "Tuyên Quang"},
	{"Lào Cai", "tỉnh", "Lào Cai"},
	{"Điện Biên", "tỉnh", ""},
	{"Lai Châu", "tỉnh", ""},
	{"Sơn La", "tỉnh", ""},
	{"Yên Bái", "tỉnh", "Lào Cai"},
	{"Hòa Bình", "tỉnh", "Phú Thọ"},
	{"Thái Nguyên", "tỉnh", "Thái Nguyên"},
	{"Lạng Sơn", "tỉnh", ""},
	{"Quảng Ninh", "tỉnh", ""},
	{"Bắc Giang", "tỉnh", "Bắc Ninh"},
	{"Phú Thọ", "tỉnh", "Phú Thọ"},
	{"Vĩnh Phúc", "tỉnh", "Phú Thọ"},
	{"Bắc Ninh", "tỉnh", "Bắc Ninh"},
	{"Hải Dương", "tỉnh", "Hải Phòng"},
	{"Hải Phòng", "thành phố", "Hải Phòng"},
	{"Hưng Yên", "tỉnh", "Hưng Yên"},
	{"Thái Bình", "tỉnh", "Hưng Yên"},
	{"Hà Nam", "tỉnh", "Ninh Bình"},
	{"Nam Định", "tỉnh", "Ninh Bình"},
	{"Ninh Bình", "tỉnh", "Ninh Bình"},
	{"Thanh Hóa", "tỉnh", ""},
	{"Nghệ An", "tỉnh", ""},
	{"Hà Tĩnh", "tỉnh", ""},
	{"Quảng Bình", "tỉnh", "Quảng Trị"},
	{"Quảng Trị", "tỉnh", "Quảng Trị"},
	{"Huế", "thành phố", ""},
	{"Đà Nẵng", "thành phố", "Đà Nẵng"},
	{"Quảng Nam", "tỉnh", "Đà Nẵng"},
	{"Quảng Ngãi", "tỉnh", "Quảng Ngãi"},
	{"Bình Định", "tỉnh", "Gia Lai"},
	{"Phú Yên", "tỉnh", "Đắk Lắk"},
	{"Khánh Hòa", "tỉnh", "Khánh Hòa"},
	{"Ninh Thuận", "tỉnh", "Khánh Hòa"},
	{"Bình Thuận", "tỉnh", "Lâm Đồng"},
	{"Kon Tum", "tỉnh", "Quảng Ngãi"},
	{"Gia Lai", "tỉnh", "Gia Lai"},
	{"Đắk Lắk", "tỉnh", "Đắk Lắk"},
	{"Đắk Nông", "tỉnh", "Lâm Đồng"},
	{"Lâm Đồng", "tỉnh", "Lâm Đồng"},
	{"Bình Phước", "tỉnh", "Đồng Nai"},
	{"Tây Ninh", "tỉnh", "Tây Ninh"},
	{"Bình Dương", "tỉnh", "Hồ Chí Minh"},
	{"Đồng Nai", "tỉnh", "Đồng Nai"},
	{"Bà Rịa - Vũng Tàu", "tỉnh", "Hồ Chí Minh"},
	{"Hồ Chí Minh", "thành phố", "Hồ Chí Minh"},
	{"Long An", "tỉnh", "Tây Ninh"},
	{"Tiền Giang", "tỉnh", "Đồng Tháp"},
	{"Bến Tre", "tỉnh", "Vĩnh Long"},
	{"Trà Vinh", "tỉnh", "Vĩnh Long"},
	{"Vĩnh Long", "tỉnh", "Vĩnh Long"},
	{"Đồng Tháp", "tỉnh", "Đồng Tháp"},
	{"An Giang", "tỉnh", "An Giang"},
	{"Kiên Giang", "tỉnh", "An Giang"},
	{"Cần Thơ", "thành phố", "Cần Thơ"},
	{"Hậu Giang", "tỉnh", "Cần Thơ"},
	{"Sóc Trăng", "tỉnh", "Cần Thơ"},
	{"Bạc Liêu", "tỉnh", "Cà Mau"},
	{"Cà Mau", "tỉnh", "Cà Mau"},
}

// cities are the new provinces that are centrally-run cities.
var cities = map[string]bool{"Hải Phòng": true, "Đà Nẵng": true, "Hồ Chí Minh": true, "Cần Thơ": true}

// syllables make invented names of districts and communes: the
// Sino-Vietnamese words real place names are built from, so that names
// repeat across provinces as real ones do.
var syllables = []string{
	"An", "Bình", "Châu", "Đông", "Đức", "Giang", "Hà", "Hải", "Hòa", "Hồng", "Hưng", "Khánh",
	"Lạc", "Lâm", "Lộc", "Long", "Minh", "Mỹ", "Nam", "Nghĩa", "Ninh", "Phú", "Phúc", "Phước",
	"Quang", "Sơn", "Tân", "Thạch", "Thái", "Thành", "Thanh", "Thịnh", "Thuận", "Thủy", "Tiên",
	"Trung", "Trường", "Văn", "Vĩnh", "Xuân", "Yên", "Cẩm", "Kim", "Lương", "Tường", "Hiệp",
	"Hậu", "Định", "Điền", "Bắc", "Tây", "Quế", "Mai", "Đại", "Cao", "Hoàng", "Liên", "Nguyên",
}

// Outlets a province's articles appear in, besides its own newspaper.
var outletForms = []string{"Báo %s", "Báo %s điện tử", "Đài Phát thanh và Truyền hình %s"}

var authors = []string{"Minh Thùy", "Mạnh Trường", "Thu Hà", "Ngọc Lan", "Văn Hùng", "Thanh Tâm", "Đức Anh",
	"Hồng Nhung", "Quốc Huy", "Phương Thảo", "Bảo Ngọc", "Trung Kiên", "Hải Yến", "Tuấn Anh", "Mai Hương",
	"Thế Vinh", "Lan Anh", "Đình Nam", ""}
