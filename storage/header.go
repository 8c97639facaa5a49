package storage

import (
	"fmt"
	"strings"
)

// column is a resident field an import file may carry.
type column uint8

// Import columns.
const (
	colNone column = iota
	colName
	colPhone
	colIDNumber
	colAddress
	colCommunity
	colGrid
	colStart
	colRelease
	colNotes
	colHousehold
	colTags
	colLanguage
	colReason
	numColumns
)

// headerNames maps normalised header text (lower case, no spaces) to columns,
// Chinese and English.
var headerNames = map[string]column{
	"姓名": colName, "名字": colName, "居民姓名": colName, "name": colName,
	"电话": colPhone, "手机": colPhone, "手机号": colPhone, "手机号码": colPhone, "联系电话": colPhone,
	"电话号码": colPhone, "联系方式": colPhone, "phone": colPhone, "mobile": colPhone, "tel": colPhone,
	"身份证": colIDNumber, "身份证号": colIDNumber, "身份证号码": colIDNumber, "证件号码": colIDNumber,
	"id_number": colIDNumber, "idnumber": colIDNumber, "id": colIDNumber,
	"地址": colAddress, "住址": colAddress, "家庭住址": colAddress, "居住地址": colAddress, "address": colAddress,
	"社区": colCommunity, "所属社区": colCommunity, "community": colCommunity,
	"网格": colGrid, "所属网格": colGrid, "grid": colGrid,
	"开始日期": colStart, "开始时间": colStart, "观察开始日期": colStart, "start": colStart, "start_date": colStart,
	"解除日期": colRelease, "解除时间": colRelease, "解除观察日期": colRelease, "release": colRelease,
	"release_date": colRelease,
	"备注":           colNotes, "notes": colNotes, "note": colNotes, "remark": colNotes,
	"户号": colHousehold, "household": colHousehold,
	"标签": colTags, "tags": colTags,
	"语言": colLanguage, "language": colLanguage,
	"原因": colReason, "观察原因": colReason, "reason": colReason,
}

// headerMap is the position of each known column in a file (-1 = absent).
type headerMap [numColumns]int

// parseHeader maps a header row; unknown headers are ignored. The phone
// column is required.
func parseHeader(cells []string) (headerMap, error) {
	var h headerMap
	for i := range h {
		h[i] = -1
	}
	for i, c := range cells {
		key := strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(c, "\ufeff")), ""))
		key = strings.Trim(key, "*＊:：")
		if col, ok := headerNames[key]; ok && h[col] < 0 {
			h[col] = i
		}
	}
	if h[colPhone] < 0 {
		return h, fmt.Errorf("no phone column (电话/手机/联系电话/phone) in header")
	}
	return h, nil
}

// get returns the trimmed cell of col, or "".
func (h *headerMap) get(cells []string, col column) string {
	i := h[col]
	if i < 0 || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}
