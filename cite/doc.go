// Package cite finds the documents that a Vietnamese administrative text
// cites: numbered state and Party documents (53/KH-UBND, 04/2015/NĐ-CP,
// 25-NQ/TW, 1787/SNV-XDCQ, 10/2022/QH15), laws and resolutions cited by
// name, their dates, issuers and subjects, and the citing document's own
// header identity.
//
// The extractor is pure: Extract takes text and returns a Result; it does no
// I/O. ReadFile is the one place that reads .txt and .docx files, and
// WriteTable renders a Result for people. Mistakes found in the text (an
// impossible date, two dates for one number…) are reported as Anomaly values
// and never silently fixed, because staff must check the source.
//
// Work happens on a normalised copy of the text (NFC, collapsed whitespace,
// line and page breaks joined where a sentence continues, footnotes kept
// apart) that keeps a byte map back to the original, so every Mention carries
// spans into the text the caller passed in.
package cite
