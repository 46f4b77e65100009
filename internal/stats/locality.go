package stats

import "time"

// Level is an administrative level as it stood when an article reported it.
type Level string

const (
	LevelNational       Level = "national"        // Trung ương: the central level
	LevelProvince       Level = "province"        // tỉnh, or a centrally-run city
	LevelProvincialCity Level = "provincial_city" // thành phố thuộc tỉnh (district level)
	LevelDistrict       Level = "district"        // huyện
	LevelCommune        Level = "commune"         // xã, phường, thị trấn
)

// Levels lists the levels from the top down.
var Levels = []Level{LevelNational, LevelProvince, LevelProvincialCity, LevelDistrict, LevelCommune}

// Tiers are the levels rotations move between, from the top down.
var Tiers = []Level{LevelNational, LevelProvince, LevelDistrict, LevelCommune}

// Valid reports whether l is a known level.
func (l Level) Valid() bool {
	for _, x := range Levels {
		if l == x {
			return true
		}
	}
	return false
}

// Tier folds a level onto the three tiers rotations move between
// (province, district, commune): a provincial city is district-level.
func (l Level) Tier() Level {
	if l == LevelProvincialCity {
		return LevelDistrict
	}
	return l
}

// Locality is an administrative unit as it stood when reported. Units
// reorganised since (the 2025 reform merged provinces and abolished the
// district level) keep their old identity; ValidTo and Successor say what
// became of them, so later reports of new units never merge with old ones.
type Locality struct {
	ID            int64
	Slug          string // ASCII, stable: "song-lo"
	Name          string // without administrative prefix: "Sông Lô"
	Prefix        string // "huyện", "thành phố", "tỉnh"
	Level         Level
	ParentSlug    string // the province (or district) it belonged to
	ParentName    string
	ParentPrefix  string
	ProvinceName  string // the province it lay in when reported (itself for a province)
	ValidFrom     *time.Time
	ValidTo       *time.Time // last day it existed in this form
	SuccessorSlug string
	SuccessorName string
	SuccessorPfx  string
	Note          string     // what happened to it, in Vietnamese
	Focus         bool       // one of the localities the dashboard compares
	Version       int64      // for optimistic locking (admin reads only)
	DeletedAt     *time.Time // soft-deleted (admin reads only)
	Used          int        // live figures, findings and sub-localities citing it (admin lists)
}

// FullName is the name with its administrative prefix: "huyện Sông Lô".
func (l Locality) FullName() string {
	if l.Prefix == "" {
		return l.Name
	}
	return l.Prefix + " " + l.Name
}
