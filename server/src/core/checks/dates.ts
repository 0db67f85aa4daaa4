// Dates as writers type them ("2021", "October 2022", "25 October 2022", "October 25, 2022", "2022-10-25") and as
// the corpus stores them (ISO text with a precision). Comparisons happen at the coarser of the two precisions, so
// "2022" agrees with "2022-10-25" and "October 2021" does not.
import type { IsoDate } from '../types';

export interface DateValue {
  year: number;
  month?: number; // 1-12
  day?: number;
}

export type DateStyle = 'year' | 'month-year' | 'day-month-year' | 'month-day-year' | 'iso';

export interface DateInText {
  start: number;
  end: number;
  text: string;
  value: DateValue;
  style: DateStyle;
  /** Where the year digits sit, so a fix can change just the year when the corpus knows only the year. */
  yearStart: number;
  yearEnd: number;
  /** Month written abbreviated ("Oct."). */
  shortMonth?: boolean;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_BY_NAME = new Map<string, number>();
MONTHS.forEach((m, i) => {
  MONTH_BY_NAME.set(m, i + 1);
  MONTH_BY_NAME.set(m.slice(0, 3), i + 1);
});
MONTH_BY_NAME.set('Sept', 9);

export function parseIsoDate(iso: IsoDate | undefined): DateValue | undefined {
  if (!iso) return undefined;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(iso).trim());
  if (!m) return undefined;
  const v: DateValue = { year: Number(m[1]) };
  if (m[2]) v.month = Number(m[2]);
  if (m[3]) v.day = Number(m[3]);
  return v;
}

export function precisionOf(v: DateValue): 0 | 1 | 2 {
  return v.day !== undefined ? 2 : v.month !== undefined ? 1 : 0;
}

/** Keeps only the first `precision` parts (0 = year, 1 = month, 2 = day). */
export function truncate(v: DateValue, precision: number): DateValue {
  const out: DateValue = { year: v.year };
  if (precision >= 1 && v.month !== undefined) out.month = v.month;
  if (precision >= 2 && v.day !== undefined && v.month !== undefined) out.day = v.day;
  return out;
}

/** True when two dates agree at the coarser of their precisions. */
export function datesAgree(a: DateValue, b: DateValue): boolean {
  const p = Math.min(precisionOf(a), precisionOf(b));
  if (a.year !== b.year) return false;
  if (p >= 1 && a.month !== b.month) return false;
  if (p >= 2 && a.day !== b.day) return false;
  return true;
}

/** First and last day covered by a date, as comparable numbers yyyymmdd. */
export function dayRange(v: DateValue): [number, number] {
  const y = v.year * 10000;
  if (v.month === undefined) return [y + 101, y + 1231];
  const m = v.month * 100;
  if (v.day === undefined) return [y + m + 1, y + m + 31];
  return [y + m + v.day, y + m + v.day];
}

export function formatDate(v: DateValue, style: DateStyle, shortMonth = false): string {
  const monthName = (m: number) => (shortMonth ? `${MONTHS[m - 1]!.slice(0, 3)}.` : MONTHS[m - 1]!);
  if (v.month === undefined) return String(v.year);
  if (v.day === undefined || style === 'month-year' || style === 'year') {
    return style === 'iso' ? `${v.year}-${pad(v.month)}` : `${monthName(v.month)} ${v.year}`;
  }
  switch (style) {
    case 'iso': return `${v.year}-${pad(v.month)}-${pad(v.day)}`;
    case 'month-day-year': return `${monthName(v.month)} ${v.day}, ${v.year}`;
    default: return `${v.day} ${monthName(v.month)} ${v.year}`;
  }
}

/** Human form of a corpus date for messages: "25 October 2022", "October 2022", "1983". */
export function describeDate(v: DateValue): string {
  return formatDate(v, 'day-month-year');
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const MONTH_ALT = 'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec';
// Every branch is a fixed sequence with bounded repetition: linear on any input.
const DATE_RE = new RegExp(
  [
    `(\\d{1,2})(?:st|nd|rd|th)?[ \\u00a0]{1,3}(${MONTH_ALT})(\\.?),?[ \\u00a0]{1,3}(\\d{4})`, // 25 October 2022
    `(${MONTH_ALT})(\\.?)[ \\u00a0]{1,3}(\\d{1,2})(?:st|nd|rd|th)?,?[ \\u00a0]{1,3}(\\d{4})`, // October 25, 2022
    `(${MONTH_ALT})(\\.?),?[ \\u00a0]{1,3}(\\d{4})`, // October 2022
    `(\\d{4})-(\\d{2})-(\\d{2})`, // 2022-10-25
    `(\\d{4})`, // 2022
  ].join('|'),
  'g',
);

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}_]/u.test(c);
}

/** Dates written in text[start, end). Years are 1800–2199 standing alone: not "FY2019", not "2019–2028", not "1980s". */
export function findDates(text: string, start: number, end: number): DateInText[] {
  // Every form has a four-digit year: a span without a digit has no date (and needs no copy or regex scan).
  let digit = false;
  for (let i = start; i < end && !digit; i++) {
    const c = text.charCodeAt(i);
    digit = c >= 48 && c <= 57;
  }
  return digit ? findDatesWithDigit(text, start, end) : [];
}

/** findDates for a span already known to hold a digit. */
export function findDatesWithDigit(text: string, start: number, end: number): DateInText[] {
  const out: DateInText[] = [];
  const slice = text.slice(start, end);
  DATE_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DATE_RE.exec(slice))) {
    const s = start + m.index;
    const e = s + m[0].length;
    const before = text[s - 1];
    const after = text[e];
    if (isWordChar(before) || isWordChar(after)) continue;
    let value: DateValue;
    let style: DateStyle;
    let yearText: string;
    let shortMonth = false;
    if (m[1] !== undefined) {
      value = { year: Number(m[4]), month: MONTH_BY_NAME.get(m[2]!)!, day: Number(m[1]) };
      style = 'day-month-year';
      yearText = m[4]!;
      shortMonth = m[3] === '.' || m[2]!.length <= 4;
    } else if (m[5] !== undefined) {
      value = { year: Number(m[8]), month: MONTH_BY_NAME.get(m[5])!, day: Number(m[7]) };
      style = 'month-day-year';
      yearText = m[8]!;
      shortMonth = m[6] === '.' || m[5].length <= 4;
    } else if (m[9] !== undefined) {
      value = { year: Number(m[11]), month: MONTH_BY_NAME.get(m[9])! };
      style = 'month-year';
      yearText = m[11]!;
      shortMonth = m[10] === '.' || m[9].length <= 4;
    } else if (m[12] !== undefined) {
      value = { year: Number(m[12]), month: Number(m[13]), day: Number(m[14]) };
      style = 'iso';
      yearText = m[12];
    } else {
      value = { year: Number(m[15]) };
      style = 'year';
      yearText = m[15]!;
      // A year next to a dash and digits is part of a range or an identifier; a "$" or "%" makes it an amount.
      if (/[-–—/]/.test(after ?? '') && /\d/.test(text[e + 1] ?? '')) continue;
      if (/[-–—/]/.test(before ?? '') && /\d/.test(text[s - 2] ?? '')) continue;
      if (before === '$' || after === '%' || (after === ',' && /\d/.test(text[e + 1] ?? ''))) continue;
      if (after === '.' && /\d/.test(text[e + 1] ?? '')) continue;
    }
    if (value.year < 1800 || value.year > 2199) continue;
    if (value.month !== undefined && (value.month < 1 || value.month > 12)) continue;
    if (value.day !== undefined && (value.day < 1 || value.day > 31)) continue;
    const yearStart = s + m[0].lastIndexOf(yearText);
    out.push({ start: s, end: e, text: m[0], value, style, yearStart, yearEnd: yearStart + 4, shortMonth });
  }
  return out;
}
