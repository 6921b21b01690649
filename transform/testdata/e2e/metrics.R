# Independent reference computation of the effectiveness metrics
# (/work/shared/spec/metrics.md, version 1) on the e2e fixture in this folder.
# Written from metrics.md and docs/schema.md only, without reading the Go/SQL
# under transform/. Run from this folder:  Rscript metrics.R
# Writes goldens.csv (whole population only, no disaggregation),
# person_times.csv (the LEAD_RANK analysis rows, both cohorts) and
# padjust.csv (LEAD_RANK_HR's country p-values, Benjamini-Hochberg adjusted)
# and ipw.csv (the balance table and overlap of the adjusted comparison).
#
# ---------------------------------------------------------------------------
# READINGS OF metrics.md CHOSEN HERE (where the text admits more than one)
# ---------------------------------------------------------------------------
# General
#  A1. D = 2026-06-30. Career events and hr_flags dated after D are dropped
#      before anything else. Enrollments with start_date > D are dropped before
#      anything else (brief); enrollment *end_dates* after D are kept on the
#      row but are never used as a date <= D (not a graduation, not a contact).
#  A2. Codes are trimmed and upper-cased; empty cells are NULL. Enrollment
#      program empty = IMET; student cohort empty = PARTICIPANT. Rank codes
#      "OF6"/"of-6"/"OF 6" are read as "OF-6".
#  A3. Enrollment fiscal year = the fiscal_year column when present, else the
#      FY of start_date (FY N = 1 Oct N-1 .. 30 Sep N). "Starting in the
#      period" (COMPLETION, VET_*, WPS_SHARE) uses the FY of start_date;
#      "of that fiscal year" (COST_*, ALLOC_EXECUTION, FMTR_*) uses the
#      enrollment fiscal year. (They agree on every row of this fixture.)
#  A4. Fiscal years reported = union of enrollment fiscal years (start_date-FY
#      and fiscal_year column, after A1) and allocation fiscal years, capped at
#      the FY that holds D. Quarter periods are not produced (brief: FY only).
#  A5. Status is taken as loaded: a COMPLETED enrollment counts as COMPLETED in
#      the flow metrics (COMPLETION, COST_PER_GRAD) even when its end_date is
#      after D or empty. Only the graduate definition requires end_date <= D.
# People, dates
#  B1. Graduate: PARTICIPANT, >= 1 IMET COMPLETED enrollment with end_date <= D.
#      Index date = earliest such end_date. If several such enrollments share
#      that end_date the index enrollment is the one with the smallest
#      enrollment_id (only matters for course category, unused here).
#  B2. Comparison member: COMPARISON with index_date <= D (index_date from the
#      students file). Their index_date is NOT itself a "contact" date: last
#      contact only counts career events and enrollment start/end dates.
#  B3. Rank observations: every enrollment (any program, any status, start <= D)
#      with rank_code_at_entry, at start_date; every career event (any
#      event_type) with rank_code, at event_date; comparison rank_code_at_index
#      at index_date. Rank at t = the latest observation date <= t; among
#      observations on that date the highest ordered rank wins; CIV is
#      unordered and loses to any ordered rank on the same date; if the latest
#      date carries only CIV, the rank at t is CIV (unordered), so such a
#      person is not in LEAD_RANK (needs OF-1..OF-5) nor PROMO (needs an
#      ordered rank). Observations dated exactly on the index date count as
#      "on or before" the index date.
#  B4. Exit date = earliest SEPARATION/RETIREMENT/DEATH event <= D, even when it
#      precedes the index date (then follow-up end <= index: no follow-up).
#      Last contact = latest of: any career event date <= D, any enrollment
#      start_date/end_date <= D (any program/status). Follow-up end =
#      min(exit, last contact). Person with follow-up end <= index date, or no
#      contact at all, is excluded from time-to-event metrics.
#  B5. "after index" is strict (> index date). An event on the follow-up end
#      day is observed (event <= follow-up end); one dated later is censored at
#      follow-up end. time = event date - index (days) or follow-up end - index.
# Time-to-event metrics
#  C1. LEAD_RANK event: the first date d > index whose rank at d (B3) is
#      >= OF-6, i.e. the first observation date after index whose highest same-
#      date observation is >= OF-6. Population: rank at index in OF-1..OF-5.
#  C2. LEAD_POS: excluded if any career event (any type) with position_level
#      STRATEGIC/SENIOR is dated <= index; event = first career event (any
#      type) dated > index with position_level STRATEGIC or SENIOR.
#  C3. PROMO_MEDIAN_DAYS event: first career event of type PROMOTION dated
#      > index whose rank_code is ordered and above the rank at index
#      (a later PROMOTION is not considered if the first one after index is
#      not above; we take the first PROMOTION that IS above).
#  C4. INTEROP_5Y event: first DEPLOYMENT > index with operation_type in
#      UN, COALITION, NATO, AU.  RETAIN_5Y event: the exit date (B4).
#      RETAIN_5Y/INTEROP_5Y also given for COMPARISON (labelled), same rules.
#  C5. Horizon NULL rule: "h exceeds every follow-up time in the group" is read
#      with follow-up time = follow-up end - index date of each person in the
#      group (not the possibly shorter event time): NULL iff h > max of that.
#      (Checked on this fixture: reading it as max(time) gives the same rows.)
#  C6. S(h) = KM at the last event time <= h; with no event <= h, S = 1 and
#      limits 1/1 (what survfit reports before the first event). Limits are
#      survfit's (log scale, upper clipped to 1). n = people in the KM,
#      events = all events in the KM data (all times, not only <= h).
#  C7. LEAD_RANK_HR: LEAD_RANK populations of both cohorts pooled,
#      participant = 1 for graduates, 0 for comparison members; strata =
#      students.country_code. p = survdiff chisq on 1 df.
# Graduate, as-of-D metrics
#  D1. TRACK_24M: graduates with no exit date <= D (B4, regardless of index);
#      event: any career event, any type, dated in (D-730, D].
#  D2. UNTRACKED: graduates with index <= D-365; event: no career event (any
#      type) dated > index (and <= D). Not restricted by exit.
#  D3. UTIL_2Y: unit = enrollment (IMET, COMPLETED, end_date <= D-730, course
#      functional_area not LEADERSHIP/OTHER/empty); no cohort filter (no
#      comparison person has enrollments); qualifies if the same student has an
#      ASSIGNMENT event with non-empty functional_area in (end, end+730];
#      success if any of those matches the course functional_area.
#  D4. HR_FLAG_RATE: person-years = sum over graduates of
#      max(0, min(exit date, D) - index date) days / 365.25 (Julian year);
#      flags: status SUBSTANTIATED, index < flag_date <= D, counted even when
#      dated after the person's exit. n = graduates, numerator = flags,
#      denominator = person-years, value = 1000*flags/PY, limits =
#      poisson.test(x, PY)$conf.int * 1000.
#  D5. ALUMNI_PROMINENT: graduates with no exit <= D whose latest career event
#      (<= D) carrying a position_level has STRATEGIC or SENIOR; several such
#      events on that latest date: the highest level wins
#      (STRATEGIC > SENIOR > MID > JUNIOR). n/denominator NA.
# Flow metrics (period FYyyyy, cohort ALL)
#  E1. COMPLETION: IMET, start in FY, status in COMPLETED/WITHDRAWN/FAILED.
#  E2. WPS_SHARE: distinct students of IMET enrollments (any status, incl.
#      CANCELLED) starting in FY, whose sex is F, M or X (U/empty dropped).
#  E3. VET_COMPLIANCE: IMET, start in FY (any status, incl. CANCELLED),
#      vetting_status not NOT_REQUIRED (empty included); success = APPROVED
#      and vetting_date non-empty and <= start_date.
#  E4. VET_DENIED_ATTENDED: enrollments of ANY program (the row names no
#      program) starting in FY, vetting DENIED, status COMPLETED/IN_PROGRESS.
#      value = numerator = count. (No non-IMET row qualifies in this fixture.)
#  E5. COST_PER_GRAD (revised for issue 11): numerator = sum cost_usd of the
#      IMET enrollments of the FY that had ended by D (status not IN_PROGRESS
#      and end_date, or start_date when end_date is empty, <= D; CANCELLED
#      included); denominator = distinct students with a COMPLETED IMET
#      enrollment of the FY that had ended by D; n = denominator.
#  E6. COST_SHARE_PARTNER: ALL programs (the row names no program) of the FY,
#      any status; empty cost/partner cost = 0; value = sum partner /
#      (sum cost + sum partner). n NA.
#  E7. ALLOC_EXECUTION: sum cost_usd of IMET enrollments of the FY (any
#      status) / sum allocated_usd of IMET allocations of the FY. n NA.
#  E8. FMTR_*: every program (the Foreign Military Training Report covers
#      all of them and metrics.md names none; revised after review), enrollment FY,
#      status not CANCELLED (any other status);
#      COURSES = distinct course_code among those with both start_date and
#      end_date non-empty (end_date may lie after D). n NA, numerator = value.
#  E10. COMPLETION_BY_ECL: as COMPLETION, by ECL band at entry (<70, 70-79,
#      >=80, missing); REPORT_LAG_DAYS: events reported on or before D, by the
#      FY of the reported date, median lag in days (added after review).
#  E9. COST_PER_LEADER (period = FY of graduation cohort, cohort PARTICIPANT):
#      denominator = graduates of the cohort who "reached OF-6 by D" = have ANY
#      rank observation (B3) >= OF-6 dated <= D, including before/at index
#      (e.g. enrolled as OF-6); numerator = sum cost_usd of ALL IMET
#      enrollments (any status, any FY, start <= D) of ALL the cohort's
#      graduates (leaders or not). n = denominator. value NA with note
#      "none reached OF-6" when the denominator is 0. "immature cohort" when
#      D < (30 Sep of the cohort FY) + 10 years, i.e. with D = 2026-06-30,
#      cohorts FY2016 and later are immature, FY2015 and earlier are not.
#      When both notes apply they are joined with "; ".
# Evidence, version 2 (/work/shared/spec/evidence.md), whole population only
#  F1. Competing-risk status for LEAD_RANK, LEAD_POS, INTEROP: 1 when the event
#      is seen (event <= follow-up end, B5; follow-up end is the exit date
#      when there is one, so an event on the exit date is the event); 2 when
#      the person has an exit date (B4) and no event was seen (time = exit -
#      index); 0 otherwise. Time as in B5.
#  F2. CIF at h: summary(survfit(Surv(time, factor(status, 0:2)) ~ 1, id = id),
#      times = h), state "1" (EXIT_BEFORE_RANK_10Y: state "2"): pstate,
#      lower, upper; events = the state's n.event up to h. NULL with
#      "insufficient follow-up" when h > max(time) (summary selects no point).
#      n = people; cohorts as the 1 - KM metric it refines.
#  F3. LEAD_RANK_SHR: finegray(Surv(time, factor(status, 0:2)) ~ ., etype =
#      "1") over the LEAD_RANK population of both cohorts, then coxph(
#      Surv(fgstart, fgstop, fgstatus) ~ participant + strata(country_code),
#      weights = fgwt, cluster = id): HR, conf.int, robust Wald p.
#  F4. IPW: covariates of the LEAD_RANK population of both cohorts: country_code
#      (students file), service (students file; empty = UNKNOWN), rank = the
#      rank code at index (OF-1..OF-5), sex F/M, anything else (X, U, empty)
#      OTHER, age = year(index) - birth_year (empty birth year: the median
#      age of the analysed population, age_missing = 1), index_fy = fiscal
#      year of the index date. Countries with only one arm are dropped
#      first. A factor with one level is left out of the formula. glm
#      binomial fitted values = ps; w = pbar/ps (participants), (1 - pbar)/(1
#      - ps) (comparison), pbar = participant share of the analysed rows.
#      LEAD_RANK_HR_IPW: coxph(Surv(time, status == 1) ~ participant +
#      strata(country_code), weights = w, cluster = id); robust Wald p.
#      LEAD_RANK_CIF_10Y_IPW: summary(survfit(Surv(time, factor(status, 0:2))
#      ~ participant, weights = w, id = id), times = 3652), state 1 per arm;
#      events = unweighted n.event. DIFF = participant - comparison, limits
#      d -/+ qnorm(0.975) sqrt(se1^2 + se0^2); events = both arms' n.event.
#      n = analysed people (of the arm).
#  F5. E-values (EValue::evalues.HR's formula written out): "common" when the
#      CIF at 3652 of the LEAD_RANK population of both cohorts together
#      (F2) exceeds 0.15. value = E of the HR, ci_low = E of the limit
#      nearest 1 (1 when the interval holds 1). n, events = the HR's.
#  F6. MDE: exp((qnorm(0.975) + qnorm(0.8)) / sqrt(E p (1 - p))), E = events
#      (status 1) of the HR's population, p = its participant share
#      (LEAD_RANK_SHR_MDE = LEAD_RANK_HR_MDE; _IPW_MDE over the analysed rows).
#  F7. events of every horizon metric (1 - KM and CIF) count events with
#      time <= h (summary(survfit, times = h)$n.event accumulated), not all.
#  F9. ipw.csv: per model.matrix column (every level of each factor, numeric
#      covariates as themselves) the SMD before (weights 1) and after
#      weighting, (weighted mean1 - weighted mean0) / sqrt((sd1^2 + sd0^2)/2)
#      with the unweighted sd() of each arm (NA when both are 0: left out);
#      per arm and ALL: ps range, share of ps outside [0.1, 0.9], Kish ESS,
#      largest weight, n; the positivity drop.
#  F8. p_adjusted: LEAD_RANK_HR by country (each country with both arms:
#      survdiff(Surv(time, status) ~ participant) within it), then
#      p.adjust(p, "BH") across the countries; written to padjust.csv.
# ---------------------------------------------------------------------------

suppressPackageStartupMessages(library(survival))

D <- as.Date("2026-06-30")
H5 <- 1826
H10 <- 3652
LEADER_RANK <- "OF-6"
RANKS <- c(paste0("OR-", 1:9), paste0("WO-", 1:5), paste0("OF-", 1:10))
EXIT_TYPES <- c("SEPARATION", "RETIREMENT", "DEATH")
PY_DAYS <- 365.25 # days per person-year (Julian year)

rd <- function(name) {
  x <- read.csv(paste0(name, ".csv"), colClasses = "character", na.strings = "",
                encoding = "UTF-8", check.names = FALSE, strip.white = TRUE)
  for (c in names(x)) x[[c]][!is.na(x[[c]]) & x[[c]] == ""] <- NA
  x
}
code <- function(x) { x <- toupper(trimws(x)); x[!is.na(x) & x == ""] <- NA; x }
rank_norm <- function(x) {
  x <- toupper(gsub("[[:space:]-]", "", x))
  x <- sub("^(OR|WO|OF)([0-9]+)$", "\\1-\\2", x)
  x[!is.na(x) & x == ""] <- NA
  x
}
rank_ord <- function(x) match(x, RANKS) # NA for CIV / unknown
fy_of <- function(d) {
  y <- as.integer(format(d, "%Y")); m <- as.integer(format(d, "%m"))
  ifelse(m >= 10, y + 1L, y)
}
num <- function(x) { v <- as.numeric(x); v[is.na(v)] <- 0; v }
THR <- rank_ord(LEADER_RANK)
FY_D <- fy_of(D)

# ---- load -----------------------------------------------------------------
stu <- rd("students")
stu$cohort <- code(stu$cohort); stu$cohort[is.na(stu$cohort)] <- "PARTICIPANT"
stu$country_code <- code(stu$country_code)
stu$sex <- code(stu$sex)
stu$index_date <- as.Date(stu$index_date)
stu$rank_code_at_index <- rank_norm(stu$rank_code_at_index)

crs <- rd("courses")
crs$functional_area <- code(crs$functional_area)

enr <- rd("enrollments")
enr$program <- code(enr$program); enr$program[is.na(enr$program)] <- "IMET"
enr$status <- code(enr$status)
enr$vetting_status <- code(enr$vetting_status)
enr$rank_code_at_entry <- rank_norm(enr$rank_code_at_entry)
enr$start <- as.Date(enr$start_date)
enr$end <- as.Date(enr$end_date)
enr$vdate <- as.Date(enr$vetting_date)
enr <- enr[!is.na(enr$start) & enr$start <= D, ]
enr$start_fy <- fy_of(enr$start)
enr$fy <- ifelse(is.na(enr$fiscal_year), enr$start_fy, as.integer(enr$fiscal_year))
enr$cost <- num(enr$cost_usd)
enr$pcost <- num(enr$partner_cost_usd)

ev <- rd("career_events")
ev$date <- as.Date(ev$event_date)
ev <- ev[!is.na(ev$student_id) & ev$date <= D, ]
ev$event_type <- code(ev$event_type)
ev$rank_code <- rank_norm(ev$rank_code)
ev$position_level <- code(ev$position_level)
ev$functional_area <- code(ev$functional_area)
ev$operation_type <- code(ev$operation_type)

fl <- rd("hr_flags")
fl$date <- as.Date(fl$flag_date)
fl$status <- code(fl$status)
fl <- fl[!is.na(fl$student_id) & fl$date <= D, ]

alc <- rd("allocations")
alc$program <- code(alc$program)
alc$fy <- as.integer(alc$fiscal_year)
alc$amt <- num(alc$allocated_usd)

# ---- people ---------------------------------------------------------------
part_ids <- stu$student_id[stu$cohort == "PARTICIPANT"]
g <- enr[enr$program == "IMET" & enr$status == "COMPLETED" & !is.na(enr$end) &
           enr$end <= D & enr$student_id %in% part_ids, ]
g <- g[order(g$student_id, g$end, g$enrollment_id), ]
g <- g[!duplicated(g$student_id), ]
grads <- data.frame(student_id = g$student_id, cohort = "PARTICIPANT",
                    index = g$end, stringsAsFactors = FALSE)
cmp <- stu[stu$cohort == "COMPARISON" & !is.na(stu$index_date) & stu$index_date <= D, ]
comps <- data.frame(student_id = cmp$student_id, cohort = "COMPARISON",
                    index = cmp$index_date, stringsAsFactors = FALSE)
people <- rbind(grads, comps)
people$country_code <- stu$country_code[match(people$student_id, stu$student_id)]

# exit date, last contact, follow-up end
ex <- ev[ev$event_type %in% EXIT_TYPES, ]
exit_by <- tapply(ex$date, ex$student_id, min)
people$exit <- as.Date(unname(exit_by[people$student_id]), origin = "1970-01-01")
contacts <- rbind(
  data.frame(student_id = ev$student_id, date = ev$date),
  data.frame(student_id = enr$student_id, date = enr$start),
  data.frame(student_id = enr$student_id, date = enr$end))
contacts <- contacts[!is.na(contacts$date) & contacts$date <= D, ]
lc_by <- tapply(contacts$date, contacts$student_id, max)
people$last_contact <- as.Date(unname(lc_by[people$student_id]), origin = "1970-01-01")
people$fu_end <- pmin(people$exit, people$last_contact, na.rm = TRUE)
people$has_fu <- !is.na(people$fu_end) & people$fu_end > people$index
people$futime <- as.numeric(people$fu_end - people$index)

# rank observations (student_id, date, ord, is_rank)
obs <- rbind(
  data.frame(student_id = enr$student_id, date = enr$start, rank = enr$rank_code_at_entry),
  data.frame(student_id = ev$student_id, date = ev$date, rank = ev$rank_code),
  data.frame(student_id = cmp$student_id, date = cmp$index_date, rank = cmp$rank_code_at_index))
obs <- obs[!is.na(obs$rank) & !is.na(obs$date) & obs$date <= D, ]
obs$ord <- rank_ord(obs$rank)
# per (student, date): highest ordered rank on that date (NA = only CIV/unordered)
obs$key <- paste(obs$student_id, obs$date)
od <- do.call(rbind, lapply(split(obs, obs$key), function(d)
  data.frame(student_id = d$student_id[1], date = d$date[1],
             ord = if (all(is.na(d$ord))) NA_integer_ else max(d$ord, na.rm = TRUE))))
od <- od[order(od$student_id, od$date), ]
od_by <- split(od, od$student_id)

rank_at <- function(sid, t) { # ordered rank index at t, NA if none / unordered
  d <- od_by[[sid]]
  if (is.null(d)) return(NA_integer_)
  d <- d[d$date <= t, ]
  if (nrow(d) == 0) return(NA_integer_)
  d$ord[nrow(d)]
}
people$rank_idx <- mapply(rank_at, people$student_id, people$index)

# first qualifying date > index, per person, from a (student_id, date) table
first_after <- function(cand) {
  m <- merge(people[, c("student_id", "index")], cand, by = "student_id")
  m <- m[m$date > m$index, ]
  f <- tapply(m$date, m$student_id, min)
  as.Date(unname(f[people$student_id]), origin = "1970-01-01")
}
tte <- function(evdate) { # time/status given the first event date after index
  st <- !is.na(evdate) & evdate <= people$fu_end
  tm <- ifelse(st, as.numeric(evdate - people$index), people$futime)
  data.frame(time = tm, status = as.integer(st))
}

lead_rank_ev <- first_after(od[!is.na(od$ord) & od$ord >= THR, c("student_id", "date")])
pos <- ev[ev$position_level %in% c("STRATEGIC", "SENIOR"), c("student_id", "date")]
lead_pos_ev <- first_after(pos)
pos_m <- merge(people[, c("student_id", "index")], pos, by = "student_id")
had_pos <- people$student_id %in% pos_m$student_id[pos_m$date <= pos_m$index]
pr <- ev[ev$event_type == "PROMOTION" & !is.na(rank_ord(ev$rank_code)), ]
pr <- merge(pr[, c("student_id", "date", "rank_code")],
            people[, c("student_id", "rank_idx")], by = "student_id")
pr <- pr[!is.na(pr$rank_idx) & rank_ord(pr$rank_code) > pr$rank_idx, c("student_id", "date")]
promo_ev <- first_after(pr)
dep <- ev[ev$event_type == "DEPLOYMENT" & ev$operation_type %in% c("UN", "COALITION", "NATO", "AU"),
          c("student_id", "date")]
interop_ev <- first_after(dep)

TT <- list(
  LEAD_RANK = cbind(tte(lead_rank_ev), keep = people$has_fu & !is.na(people$rank_idx) &
                      people$rank_idx >= rank_ord("OF-1") & people$rank_idx <= rank_ord("OF-5")),
  LEAD_POS = cbind(tte(lead_pos_ev), keep = people$has_fu & !had_pos),
  PROMO = cbind(tte(promo_ev), keep = people$has_fu & !is.na(people$rank_idx)),
  RETAIN = cbind(data.frame(time = people$futime, status = as.integer(!is.na(people$exit))),
                 keep = people$has_fu),
  INTEROP = cbind(tte(interop_ev), keep = people$has_fu))

# F1: competing-risk status (the exit date is the follow-up end when present)
for (k in names(TT)) TT[[k]]$cr <- ifelse(TT[[k]]$status == 1, 1L, ifelse(!is.na(people$exit), 2L, 0L))

# ---- output helpers -------------------------------------------------------
rows <- list()
add <- function(metric_id, period, cohort, n = NA, events = NA, numerator = NA,
                denominator = NA, value = NA, ci_low = NA, ci_high = NA,
                p_value = NA, note = NA, ecl_band = "ALL") {
  rows[[length(rows) + 1]] <<- data.frame(
    metric_id = metric_id, period = period, cohort = cohort, ecl_band = ecl_band, n = n, events = events,
    numerator = numerator, denominator = denominator, value = value,
    ci_low = ci_low, ci_high = ci_high, p_value = p_value, note = note,
    stringsAsFactors = FALSE)
}
wilson <- function(id, period, cohort, x, n, note = NA, ecl_band = "ALL") {
  if (n == 0) return(add(id, period, cohort, n = 0, numerator = x, denominator = 0, note = "empty population", ecl_band = ecl_band))
  ci <- suppressWarnings(prop.test(x, n, correct = FALSE)$conf.int)
  add(id, period, cohort, n = n, numerator = x, denominator = n, value = x / n,
      ci_low = ci[1], ci_high = ci[2], note = note, ecl_band = ecl_band)
}
ratio <- function(id, period, cohort, num, den, n = NA) {
  add(id, period, cohort, n = n, numerator = num, denominator = den,
      value = if (den == 0) NA else num / den, note = if (den == 0) "zero denominator" else NA)
}

km_group <- function(kind, cohort) {
  k <- TT[[kind]]
  sel <- k$keep & people$cohort == cohort
  data.frame(student_id = people$student_id[sel], cohort = cohort,
             country_code = people$country_code[sel], time = k$time[sel],
             status = k$status[sel], futime = people$futime[sel], cr = k$cr[sel])
}
horizon_row <- function(id, kind, cohort, h, attain = TRUE) {
  d <- km_group(kind, cohort)
  n <- nrow(d); e <- sum(d$status)
  if (n == 0) return(add(id, "ALL", cohort, n = 0, events = 0, note = "empty population"))
  if (h > max(d$futime)) return(add(id, "ALL", cohort, n = n, events = e, note = "insufficient follow-up"))
  if (h > max(d$time)) warning(id, " ", cohort, ": h within follow-up but beyond max(time)")
  e <- sum(d$status == 1 & d$time <= h) # F7
  fit <- survfit(Surv(time, status) ~ 1, data = d)
  i <- which(fit$time <= h & fit$n.event > 0)
  if (length(i) == 0) { S <- 1; lo <- 1; up <- 1 } else {
    i <- max(i); S <- fit$surv[i]; lo <- fit$lower[i]; up <- fit$upper[i]
  }
  if (attain) add(id, "ALL", cohort, n = n, events = e, value = 1 - S, ci_low = 1 - up, ci_high = 1 - lo)
  else add(id, "ALL", cohort, n = n, events = e, value = S, ci_low = lo, ci_high = up)
}
median_row <- function(id, kind, cohort) {
  d <- km_group(kind, cohort)
  n <- nrow(d); e <- sum(d$status)
  if (n == 0) return(add(id, "ALL", cohort, n = 0, events = 0, note = "empty population"))
  tb <- summary(survfit(Surv(time, status) ~ 1, data = d))$table
  add(id, "ALL", cohort, n = n, events = e, value = unname(tb["median"]),
      ci_low = unname(tb["0.95LCL"]), ci_high = unname(tb["0.95UCL"]),
      note = if (is.na(tb["median"])) "median not reached" else NA)
}

# ---- time-to-event rows ---------------------------------------------------
for (co in c("PARTICIPANT", "COMPARISON")) {
  horizon_row("LEAD_RANK_5Y", "LEAD_RANK", co, H5)
  horizon_row("LEAD_RANK_10Y", "LEAD_RANK", co, H10)
  horizon_row("LEAD_POS_5Y", "LEAD_POS", co, H5)
  horizon_row("LEAD_POS_10Y", "LEAD_POS", co, H10)
  median_row("PROMO_MEDIAN_DAYS", "PROMO", co)
  horizon_row("RETAIN_5Y", "RETAIN", co, H5, attain = FALSE)
  horizon_row("INTEROP_5Y", "INTEROP", co, H5)
}

lr <- rbind(km_group("LEAD_RANK", "PARTICIPANT"), km_group("LEAD_RANK", "COMPARISON"))
lr$participant <- as.integer(lr$cohort == "PARTICIPANT")
write.csv(lr[, c("student_id", "cohort", "country_code", "time", "status")],
          "person_times.csv", row.names = FALSE, quote = FALSE)
cx <- coxph(Surv(time, status) ~ participant + strata(country_code), data = lr)
sdf <- survdiff(Surv(time, status) ~ participant + strata(country_code), data = lr)
ci <- summary(cx)$conf.int
add("LEAD_RANK_HR", "ALL", "ALL", n = nrow(lr), events = sum(lr$status),
    value = unname(exp(coef(cx))[1]), ci_low = ci[1, "lower .95"], ci_high = ci[1, "upper .95"],
    p_value = pchisq(sdf$chisq, df = 1, lower.tail = FALSE),
    note = "associational")

# ---- evidence.md: competing exits, Fine-Gray, IPW, E-values, MDE -------------
Z <- qnorm(0.975)
# F2: CIF of state st at h from summary(survfit(..., id = id), times = h)
cif_at <- function(d, h, st = 1, w = NULL) {
  d$w <- if (is.null(w)) 1 else w
  if (nrow(d) == 0 || h > max(d$time)) return(NULL)
  fit <- survfit(Surv(time, factor(cr, 0:2)) ~ 1, data = d, id = student_id, weights = w)
  s <- summary(fit, times = h)
  j <- st + 1 # pstate columns: (s0), 1, 2
  list(p = s$pstate[1, j], se = s$std.err[1, j], lower = s$lower[1, j], upper = s$upper[1, j],
       events = s$n.event[1, j])
}
cif_row <- function(id, kind, cohort, h, st = 1) {
  d <- km_group(kind, cohort)
  r <- cif_at(d, h, st)
  if (is.null(r)) return(add(id, "ALL", cohort, n = nrow(d), events = sum(d$cr == st), note = "insufficient follow-up"))
  add(id, "ALL", cohort, n = nrow(d), events = r$events, value = r$p, ci_low = r$lower, ci_high = r$upper)
}
for (co in c("PARTICIPANT", "COMPARISON")) {
  cif_row("LEAD_RANK_CIF_5Y", "LEAD_RANK", co, H5)
  cif_row("LEAD_RANK_CIF_10Y", "LEAD_RANK", co, H10)
  cif_row("EXIT_BEFORE_RANK_10Y", "LEAD_RANK", co, H10, st = 2)
  cif_row("LEAD_POS_CIF_5Y", "LEAD_POS", co, H5)
  cif_row("LEAD_POS_CIF_10Y", "LEAD_POS", co, H10)
}
cif_row("INTEROP_CIF_5Y", "INTEROP", "PARTICIPANT", H5)

lr$cr <- rbind(km_group("LEAD_RANK", "PARTICIPANT"), km_group("LEAD_RANK", "COMPARISON"))$cr
lr$id <- lr$student_id
# F3: Fine-Gray
pd <- finegray(Surv(time, factor(cr, 0:2)) ~ ., data = lr[, c("time", "cr", "participant", "country_code", "id")], etype = "1")
fg <- coxph(Surv(fgstart, fgstop, fgstatus) ~ participant + strata(country_code), weights = fgwt, data = pd, cluster = id)
fgs <- summary(fg)
hr_rows <- list()
hr_add <- function(id, fit, d, note = NA) {
  s <- summary(fit)
  hr_rows[[id]] <<- list(hr = unname(exp(coef(fit))[1]), lo = s$conf.int[1, "lower .95"], hi = s$conf.int[1, "upper .95"],
                         n = nrow(d), events = sum(d$cr == 1), share = mean(d$participant))
  add(id, "ALL", "ALL", n = nrow(d), events = sum(d$cr == 1), value = hr_rows[[id]]$hr,
      ci_low = hr_rows[[id]]$lo, ci_high = hr_rows[[id]]$hi, p_value = s$coefficients[1, "Pr(>|z|)"], note = note)
}
hr_rows[["LEAD_RANK_HR"]] <- list(hr = unname(exp(coef(cx))[1]), lo = ci[1, "lower .95"], hi = ci[1, "upper .95"],
                                  n = nrow(lr), events = sum(lr$status), share = mean(lr$participant))
hr_add("LEAD_RANK_SHR", fg, lr)

# F4: IPW
sx <- stu[match(lr$student_id, stu$student_id), ]
lr$service <- ifelse(is.na(sx$service), "UNKNOWN", code(sx$service))
lr$sex <- ifelse(!is.na(sx$sex) & sx$sex %in% c("F", "M"), sx$sex, "OTHER")
lr$rank <- RANKS[people$rank_idx[match(lr$student_id, people$student_id)]]
lr$index <- people$index[match(lr$student_id, people$student_id)]
lr$age <- as.integer(format(lr$index, "%Y")) - as.integer(sx$birth_year)
lr$index_fy <- fy_of(lr$index)
arms <- tapply(lr$participant, lr$country_code, function(p) length(unique(p)))
keep <- lr$country_code %in% names(arms)[arms == 2]
a <- lr[keep, ]
positivity <- sprintf("positivity: %d countries with one arm only dropped (%d people)", sum(arms < 2), sum(!keep))
a$age_missing <- as.integer(is.na(a$age))
a$age[is.na(a$age)] <- median(a$age, na.rm = TRUE)
terms <- c("country_code", "service", "rank", "sex")
terms <- terms[sapply(terms, function(t) length(unique(a[[t]])) > 1)]
fml <- as.formula(paste("participant ~", paste(c(terms, "age", "age_missing", "index_fy"), collapse = " + ")))
ps <- fitted(glm(fml, family = binomial, data = a))
pbar <- mean(a$participant)
a$w <- ifelse(a$participant == 1, pbar / ps, (1 - pbar) / (1 - ps))
# the balance table and overlap (F9), written to ipw.csv as key,value
mm <- model.matrix(as.formula(paste("~", paste(c(terms, "age", "age_missing", "index_fy"), collapse = " + "))), data = a,
                   contrasts.arg = lapply(a[terms], function(x) contrasts(factor(x), contrasts = FALSE)))
mm <- mm[, colnames(mm) != "(Intercept)", drop = FALSE]
t1 <- a$participant == 1
smd <- function(x, w) {
  s1 <- sd(x[t1]); s0 <- sd(x[!t1])
  if (s1^2 + s0^2 == 0) return(NA)
  (weighted.mean(x[t1], w[t1]) - weighted.mean(x[!t1], w[!t1])) / sqrt((s1^2 + s0^2) / 2)
}
kv <- list()
for (j in colnames(mm)) {
  kv[[paste0("smd_before:", j)]] <- smd(mm[, j], rep(1, nrow(a)))
  kv[[paste0("smd_after:", j)]] <- smd(mm[, j], a$w)
}
for (arm in c("PARTICIPANT", "COMPARISON", "ALL")) {
  sel <- if (arm == "ALL") rep(TRUE, nrow(a)) else if (arm == "PARTICIPANT") t1 else !t1
  kv[[paste0("ps_min:", arm)]] <- min(ps[sel]); kv[[paste0("ps_max:", arm)]] <- max(ps[sel])
  kv[[paste0("share_outside:", arm)]] <- mean(ps[sel] < 0.1 | ps[sel] > 0.9)
  kv[[paste0("kish_ess:", arm)]] <- sum(a$w[sel])^2 / sum(a$w[sel]^2)
  kv[[paste0("max_weight:", arm)]] <- max(a$w[sel])
  kv[[paste0("n:", arm)]] <- sum(sel)
}
kv[["countries_dropped:ALL"]] <- sum(arms < 2); kv[["people_dropped:ALL"]] <- sum(!keep)
kv <- kv[!sapply(kv, is.na)]
write.csv(data.frame(key = names(kv), value = sprintf("%.15g", unlist(kv))), "ipw.csv", row.names = FALSE, quote = FALSE)
ipw <- coxph(Surv(time, status == 1) ~ participant + strata(country_code), weights = w, cluster = id, data = a)
hr_add("LEAD_RANK_HR_IPW", ipw, a, note = positivity)
wf <- summary(survfit(Surv(time, factor(cr, 0:2)) ~ participant, weights = w, id = id, data = a), times = H10)
arm <- list()
for (k in seq_along(wf$strata)) {
  p <- as.integer(sub("participant=", "", as.character(wf$strata[k])))
  arm[[as.character(p)]] <- list(p = wf$pstate[k, 2], se = wf$std.err[k, 2], lower = wf$lower[k, 2],
                                 upper = wf$upper[k, 2], events = wf$n.event[k, 2], n = sum(a$participant == p))
  add("LEAD_RANK_CIF_10Y_IPW", "ALL", if (p == 1) "PARTICIPANT" else "COMPARISON", n = sum(a$participant == p),
      events = wf$n.event[k, 2], value = wf$pstate[k, 2], ci_low = wf$lower[k, 2], ci_high = wf$upper[k, 2], note = positivity)
}
dd <- arm[["1"]]$p - arm[["0"]]$p
half <- Z * sqrt(arm[["1"]]$se^2 + arm[["0"]]$se^2)
add("LEAD_RANK_CIF_DIFF_10Y_IPW", "ALL", "ALL", n = nrow(a), events = arm[["1"]]$events + arm[["0"]]$events,
    value = dd, ci_low = dd - half, ci_high = dd + half, note = positivity)

# F5: E-values
common <- cif_at(lr, H10)$p > 0.15
evalue <- function(hr, lo, hi, common) {
  rr <- function(h) if (common) (1 - 0.5^sqrt(h)) / (1 - 0.5^sqrt(1 / h)) else h
  e <- function(r) { r <- max(r, 1 / r); r + sqrt(r * (r - 1)) }
  r <- rr(hr); l <- rr(lo); u <- rr(hi)
  lim <- if (l <= 1 && u >= 1) 1 else if (r < 1) e(u) else e(l)
  c(e(r), lim)
}
stopifnot(abs(evalue(0.56, 0.46, 0.69, TRUE) - c(2.3495, 1.9080)) < 1e-4)
for (id in c("LEAD_RANK_HR", "LEAD_RANK_HR_IPW")) {
  h <- hr_rows[[id]]
  ev_ <- evalue(h$hr, h$lo, h$hi, common)
  add(paste0(id, "_EVALUE"), "ALL", "ALL", n = h$n, events = h$events, value = ev_[1], ci_low = ev_[2],
      note = if (common) "common outcome" else "rare outcome")
}
# F6: MDE
for (id in c("LEAD_RANK_HR", "LEAD_RANK_SHR", "LEAD_RANK_HR_IPW")) {
  h <- hr_rows[[id]]
  add(paste0(id, "_MDE"), "ALL", "ALL", n = h$n, events = h$events,
      value = exp((qnorm(0.975) + qnorm(0.8)) / sqrt(h$events * h$share * (1 - h$share))))
}
# F8: BH across the countries of LEAD_RANK_HR
pc <- do.call(rbind, lapply(sort(unique(lr$country_code)), function(cc) {
  d <- lr[lr$country_code == cc, ]
  if (length(unique(d$participant)) < 2 || sum(d$status) == 0) return(NULL)
  data.frame(country_code = cc, p_value = pchisq(survdiff(Surv(time, status) ~ participant, data = d)$chisq, 1, lower.tail = FALSE))
}))
pc$p_adjusted <- p.adjust(pc$p_value, "BH")
write.csv(data.frame(metric_id = "LEAD_RANK_HR", pc[, c("country_code", "p_value")],
                     p_adjusted = sprintf("%.15g", pc$p_adjusted), stringsAsFactors = FALSE) |>
            transform(p_value = sprintf("%.15g", p_value)), "padjust.csv", row.names = FALSE, quote = FALSE)

# ---- graduate as-of-D rows ------------------------------------------------
G <- people[people$cohort == "PARTICIPANT", ]
not_exited <- is.na(G$exit)
recent <- unique(ev$student_id[ev$date > D - 730 & ev$date <= D])
wilson("TRACK_24M", "ALL", "PARTICIPANT", sum(G$student_id[not_exited] %in% recent), sum(not_exited))

U <- G[G$index <= D - 365, ]
m <- merge(U[, c("student_id", "index")], ev[, c("student_id", "date")], by = "student_id")
seen_after <- unique(m$student_id[m$date > m$index])
wilson("UNTRACKED", "ALL", "PARTICIPANT", sum(!(U$student_id %in% seen_after)), nrow(U))

ue <- enr[enr$program == "IMET" & enr$status == "COMPLETED" & !is.na(enr$end) & enr$end <= D - 730, ]
ue$cfa <- crs$functional_area[match(ue$course_code, crs$course_code)]
ue <- ue[!is.na(ue$cfa) & !(ue$cfa %in% c("LEADERSHIP", "OTHER")), ]
asg <- ev[ev$event_type == "ASSIGNMENT" & !is.na(ev$functional_area), c("student_id", "date", "functional_area")]
um <- merge(ue[, c("enrollment_id", "student_id", "end", "cfa")], asg, by = "student_id")
um <- um[um$date > um$end & um$date <= um$end + 730, ]
util_den <- unique(um$enrollment_id)
util_num <- unique(um$enrollment_id[um$functional_area == um$cfa])
wilson("UTIL_2Y", "ALL", "PARTICIPANT", length(util_num), length(util_den))

py <- sum(pmax(0, as.numeric(pmin(G$exit, D, na.rm = TRUE) - G$index))) / PY_DAYS
fm <- merge(G[, c("student_id", "index")], fl[fl$status == "SUBSTANTIATED", c("student_id", "date")], by = "student_id")
nfl <- sum(fm$date > fm$index & fm$date <= D)
pci <- poisson.test(nfl, py)$conf.int * 1000
add("HR_FLAG_RATE", "ALL", "PARTICIPANT", n = nrow(G), events = nfl, numerator = nfl,
    denominator = py, value = 1000 * nfl / py, ci_low = pci[1], ci_high = pci[2])

LV <- c(JUNIOR = 1, MID = 2, SENIOR = 3, STRATEGIC = 4)
pl <- ev[!is.na(ev$position_level) & ev$student_id %in% G$student_id[not_exited], ]
pl <- pl[order(pl$student_id, pl$date, LV[pl$position_level]), ]
pl <- pl[!duplicated(pl$student_id, fromLast = TRUE), ]
prom <- sum(pl$position_level %in% c("STRATEGIC", "SENIOR"))
add("ALUMNI_PROMINENT", "ALL", "PARTICIPANT", numerator = prom, value = prom)

# ---- flow rows per fiscal year --------------------------------------------
fys <- sort(unique(c(enr$start_fy, enr$fy, alc$fy)))
fys <- fys[fys <= FY_D]
for (y in fys) {
  P <- paste0("FY", y)
  s <- enr[enr$start_fy == y, ]          # starting in the period
  si <- s[s$program == "IMET", ]
  f <- enr[enr$fy == y, ]                # of the fiscal year
  fi <- f[f$program == "IMET", ]

  cp <- si[si$status %in% c("COMPLETED", "WITHDRAWN", "FAILED"), ]
  wilson("COMPLETION", P, "ALL", sum(cp$status == "COMPLETED"), nrow(cp))
  # COMPLETION_BY_ECL: the same population split by the ECL band at entry
  # (<70, 70-79, >=80, missing); a band with nobody has no row.
  ecl <- suppressWarnings(as.numeric(cp$ecl_score))
  band <- ifelse(is.na(ecl), "missing", ifelse(ecl < 70, "<70", ifelse(ecl < 80, "70-79", ">=80")))
  for (b in sort(unique(band))) {
    cb <- cp[band == b, ]
    wilson("COMPLETION_BY_ECL", P, "ALL", sum(cb$status == "COMPLETED"), nrow(cb), ecl_band = b)
  }

  ws <- unique(si$student_id)
  sx <- stu$sex[match(ws, stu$student_id)]
  sx <- sx[!is.na(sx) & sx %in% c("F", "M", "X")]
  wilson("WPS_SHARE", P, "ALL", sum(sx == "F"), length(sx))

  vt <- si[is.na(si$vetting_status) | si$vetting_status != "NOT_REQUIRED", ]
  ok <- !is.na(vt$vetting_status) & vt$vetting_status == "APPROVED" & !is.na(vt$vdate) & vt$vdate <= vt$start
  wilson("VET_COMPLIANCE", P, "ALL", sum(ok), nrow(vt))

  va <- sum(!is.na(s$vetting_status) & s$vetting_status == "DENIED" & s$status %in% c("COMPLETED", "IN_PROGRESS"))
  add("VET_DENIED_ATTENDED", P, "ALL", numerator = va, value = va)

  # E5 (revised, issue 11): only enrollments over by D count, cost and
  # graduates alike; still IN_PROGRESS, or ending after D, they are left out.
  fe <- fi[fi$status != "IN_PROGRESS" & ifelse(is.na(fi$end), fi$start, fi$end) <= D, ]
  ng <- length(unique(fe$student_id[fe$status == "COMPLETED"]))
  ratio("COST_PER_GRAD", P, "ALL", sum(fe$cost), ng, n = ng)
  ratio("COST_SHARE_PARTNER", P, "ALL", sum(f$pcost), sum(f$cost) + sum(f$pcost))
  ratio("ALLOC_EXECUTION", P, "ALL", sum(fi$cost), sum(alc$amt[alc$program == "IMET" & alc$fy == y]))

  fm_ <- f[f$status != "CANCELLED", ]
  v <- nrow(fm_); add("FMTR_SESSIONS", P, "ALL", numerator = v, value = v)
  v <- length(unique(fm_$student_id)); add("FMTR_STUDENTS", P, "ALL", numerator = v, value = v)
  v <- length(unique(fm_$course_code[!is.na(fm_$start) & !is.na(fm_$end)]))
  add("FMTR_COURSES", P, "ALL", numerator = v, value = v)
  v <- sum(fm_$cost); add("FMTR_DOLLARS", P, "ALL", numerator = v, value = v)
}

# ---- REPORT_LAG_DAYS per fiscal year of the reported date ---------------------
# Career events with a reported date on or before D (and an event date on or
# before D), in the fiscal year of the reported date: median of reported -
# event in days; numerator = how many over 365 days, denominator = all.
rl <- rd("career_events")
rl$date <- as.Date(rl$event_date)
rl$rep <- as.Date(rl$reported_date)
rl <- rl[!is.na(rl$rep) & rl$rep <= D & rl$date <= D, ]
rl$lag <- as.numeric(rl$rep - rl$date)
rl$fy <- fy_of(rl$rep)
for (y in sort(unique(rl$fy))) {
  lg <- rl$lag[rl$fy == y]
  add("REPORT_LAG_DAYS", paste0("FY", y), "ALL", n = length(lg), numerator = sum(lg > 365),
      denominator = length(lg), value = median(lg))
}

# ---- COST_PER_LEADER by graduation cohort ---------------------------------
G$gc <- fy_of(G$index)
leader_ids <- unique(od$student_id[!is.na(od$ord) & od$ord >= THR & od$date <= D])
for (y in sort(unique(G$gc))) {
  ids <- G$student_id[G$gc == y]
  nl <- sum(ids %in% leader_ids)
  cost <- sum(enr$cost[enr$program == "IMET" & enr$student_id %in% ids])
  notes <- c(if (D < as.Date(sprintf("%d-09-30", y + 10))) "immature cohort",
             if (nl == 0) "none reached OF-6")
  add("COST_PER_LEADER", paste0("FY", y), "PARTICIPANT", n = nl, numerator = cost,
      denominator = nl, value = if (nl == 0) NA else cost / nl,
      note = if (length(notes)) paste(notes, collapse = "; ") else NA)
}

# ---- write ----------------------------------------------------------------
out <- do.call(rbind, rows)
for (c in c("n", "events", "numerator", "denominator", "value", "ci_low", "ci_high", "p_value")) {
  v <- as.numeric(out[[c]])
  out[[c]] <- ifelse(is.na(v), "NA", sprintf("%.15g", v))
}
out$note[is.na(out$note)] <- "NA"
stopifnot(!any(grepl(",", out$note)))
write.table(out, "goldens.csv", sep = ",", quote = FALSE, row.names = FALSE)
cat("wrote goldens.csv:", nrow(out), "rows; person_times.csv:", nrow(lr), "rows\n")
