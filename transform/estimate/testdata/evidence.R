# evidence.R writes the reference values for the estimators of evidence.md
# (competing risks, weighted counting-process Cox, Fine-Gray, propensity
# scores and balance, E-values, power, multiplicity). Run from this
# directory:
#
#     cd transform/estimate/testdata && Rscript evidence.R
#
# Like goldens.R it needs only R and survival, writes small CSV files next to
# itself with 17 significant digits (NA and NaN as NA, infinities as Inf /
# -Inf), and the Go tests read them without R. It does not touch the files
# goldens.R writes.
#
# Files written:
#   ev_versions.csv  R and survival versions
#   cr_datasets.csv  competing-risk data sets (set,id,time,status,w,arm,stratum)
#   aj_steps.csv     survfit(Surv(time, factor(status, 0:2)) ~ 1, id = id
#                    [, weights = w]) per time: n.risk, n.event and n.censor
#                    (counts), pstate and std.err of states 0, 1 and 2
#   aj_at.csv        summary(that fit, times = h) for a grid of h: pstate,
#                    std.err, lower, upper of states 1 and 2 and n.event
#                    accumulated to h; ok = FALSE when R refuses
#   aj_diff.csv      summary(survfit(... ~ arm, weights = w, id = id),
#                    times = h): the two arms' state-1 CIF and the difference
#                    with limits d -/+ z sqrt(se1^2 + se0^2)
#   cp_datasets.csv  counting-process data (set,id,start,stop,event,x1,x2,w,stratum)
#   cox_cp.csv       coxph(Surv([start, ]stop, event) ~ covariates
#                    [+ strata(stratum)], weights, cluster = id): per term
#                    coef, naive se, robust se, HR and Wald limits
#   fg_rows.csv      finegray(Surv(time, factor(status, 0:2)) ~ ., etype = "1")
#                    rows (small sets only)
#   fg_summary.csv   rows, sum of fgwt, sum of fgwt * fgstop per set
#   fg_cox.csv       coxph(Surv(fgstart, fgstop, fgstatus) ~ arm +
#                    strata(stratum), weights = fgwt, cluster = id)
#   glm_data.csv     propensity data sets
#   glm_fit.csv      glm(y ~ ..., family = binomial): iter, deviance, warnings
#   glm_fitted.csv   its fitted values
#   balance.csv      SMD before/after stabilised ATE weighting per design column
#   balance_arm.csv  Kish effective sample size and largest weight per arm
#   evalue.csv       E-values, the formula of EValue::evalues.HR
#   mde.csv          minimum detectable HR
#   bh.csv           p.adjust(p, "BH")
suppressPackageStartupMessages(library(survival))

num <- function(v) {
  ifelse(is.na(v), "NA",
         ifelse(is.infinite(v), ifelse(v > 0, "Inf", "-Inf"),
                sprintf("%.17g", v)))
}
out <- function(df, file) {
  for (nm in names(df)) if (is.numeric(df[[nm]]) && !is.integer(df[[nm]])) df[[nm]] <- num(df[[nm]])
  write.table(df, file, sep = ",", quote = FALSE, row.names = FALSE, na = "NA")
}
wcatch <- function(expr) {
  ws <- character(0)
  v <- withCallingHandlers(expr, warning = function(w) {
    ws <<- c(ws, conditionMessage(w)); invokeRestart("muffleWarning")
  })
  list(value = v, warnings = ws)
}
wtext <- function(ws) if (length(ws)) paste(gsub("[,;]", "", trimws(ws)), collapse = " | ") else "-"
z <- qnorm(0.975)

## Competing-risk data sets ---------------------------------------------------
set.seed(20261201)
cr <- list()
addcr <- function(name, time, status, w = 1, arm = 0, stratum = "s") {
  n <- length(time)
  cr[[name]] <<- data.frame(id = seq_len(n), time = as.numeric(time), status = as.integer(status),
                            w = rep_len(as.numeric(w), n), arm = rep_len(as.integer(arm), n),
                            stratum = rep_len(as.character(stratum), n), stringsAsFactors = FALSE)
}
# Hand-made: events of both kinds and censorings tied at the same times,
# one person of weight 20.
addcr("tiny", c(1, 2, 2, 2, 3, 3, 3, 3, 5, 6, 6, 6, 8, 9),
      c(1, 2, 0, 1, 1, 2, 0, 1, 0, 2, 1, 0, 1, 0),
      w = c(1, 2, 1, 1, 3, 1, 1, 1, 1, 20, 1, 1, 2, 1),
      arm = c(1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0),
      stratum = c("a", "a", "b", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b"))
# Heavy ties: integer times 1..25.
n <- 150
addcr("ties", sample(1:25, n, replace = TRUE), sample(0:2, n, replace = TRUE, prob = c(.3, .4, .3)),
      w = ifelse(runif(n) < 0.05, 20, round(runif(n, 0.5, 3), 2)), arm = rbinom(n, 1, 0.5),
      stratum = sample(c("a", "b", "c"), n, replace = TRUE))
# No event of type 1: the CIF of state 1 is 0 throughout; Fine-Gray has
# nothing to fit.
addcr("noevent1", sample(1:40, 20, replace = TRUE), sample(c(0, 2), 20, replace = TRUE),
      w = runif(20, 0.5, 2), arm = rbinom(20, 1, 0.5))
# Everyone exits (event or competing exit), nobody censored; the last time
# is an event, so state 0 reaches 0.
addcr("allexit", c(2, 3, 3, 5, 7, 7, 8, 10, 11, 11, 12, 15, 15, 16, 18),
      c(1, 2, 1, 2, 1, 1, 2, 2, 1, 2, 2, 1, 2, 2, 1),
      w = c(1, 1, 2, 1, 1, 5, 1, 1, 1, 1, 20, 1, 1, 1, 1), arm = rep(0:1, length.out = 15))
# Everyone censored.
addcr("allcens", c(4, 4, 6, 9, 9, 9, 12, 20, 21, 30), rep(0, 10), w = c(1, 2, 1, 1, 1, 3, 1, 1, 1, 1),
      arm = rep(0:1, 5))
# One person.
addcr("single", 42, 1)
# Two people, the later one a competing exit.
addcr("two", c(5, 9), c(1, 2), w = c(1, 3), arm = c(0, 1))
# Generated: 2,000 people in 20 strata, day-valued times up to ~12 years,
# participants more likely in some strata, heavy weights (3% of 20).
n <- 2000
strat <- sprintf("C%02d", sample(1:20, n, replace = TRUE))
sidx <- as.integer(substr(strat, 2, 3))
arm <- rbinom(n, 1, plogis(-1 + sidx / 10))
tev <- round(rweibull(n, 1.3, 6000 * exp(-0.4 * arm - sidx / 40))) + 1
tex <- round(rexp(n, 1 / 5000)) + 1
tce <- sample(300:4500, n, replace = TRUE)
tt <- pmin(tev, tex, tce)
st <- ifelse(tt == tev & tev <= tex & tev <= tce, 1, ifelse(tt == tex & tex <= tce, 2, 0))
w <- ifelse(runif(n) < 0.03, 20, round(runif(n, 0.4, 2.5), 3))
addcr("big", tt, st, w = w, arm = arm, stratum = strat)

crd <- do.call(rbind, lapply(names(cr), function(nm) cbind(set = nm, cr[[nm]])))
out(crd, "cr_datasets.csv")

## Aalen-Johansen ---------------------------------------------------------------
ajfit <- function(d, weighted) {
  if (weighted) survfit(Surv(time, factor(status, 0:2)) ~ 1, id = id, weights = w, data = d)
  else survfit(Surv(time, factor(status, 0:2)) ~ 1, id = id, data = d)
}
steps <- list(); at <- list()
for (nm in names(cr)) for (weighted in c(FALSE, TRUE)) for (grp in c("ALL", "0", "1")) {
  d <- cr[[nm]]
  if (grp != "ALL") d <- d[d$arm == as.integer(grp), ]
  if (nrow(d) == 0 || (grp != "ALL" && !(nm %in% c("tiny", "ties", "big")))) next
  f <- ajfit(d, weighted)
  steps[[length(steps) + 1]] <- data.frame(set = nm, weighted = weighted, group = grp, time = f$time,
    n_risk = as.integer(f$n.risk[, 1]), n_event1 = as.integer(f$n.event[, 2]),
    n_event2 = as.integer(f$n.event[, 3]), n_censor = as.integer(f$n.censor),
    p0 = f$pstate[, 1], p1 = f$pstate[, 2], p2 = f$pstate[, 3],
    se0 = f$std.err[, 1], se1 = f$std.err[, 2], se2 = f$std.err[, 3])
  mx <- max(d$time)
  hs <- sort(unique(c(0, 1, 1826, 3652, d$time, d$time + 0.5, min(d$time) - 0.5, mx, mx + 1)))
  if (nm == "big") hs <- sort(unique(c(0, 1, 100, 365, 730, 1826, 2500, 3652, mx, mx + 1)))
  hs <- hs[hs >= 0]
  for (h in hs) {
    s <- tryCatch(summary(f, times = h), error = function(e) NULL)
    if (is.null(s)) {
      at[[length(at) + 1]] <- data.frame(set = nm, weighted = weighted, group = grp, h = h, ok = FALSE,
        p1 = NA, se1 = NA, lower1 = NA, upper1 = NA, p2 = NA, se2 = NA, lower2 = NA, upper2 = NA,
        n_event1 = NA, n_event2 = NA)
    } else {
      at[[length(at) + 1]] <- data.frame(set = nm, weighted = weighted, group = grp, h = h, ok = TRUE,
        p1 = s$pstate[1, 2], se1 = s$std.err[1, 2], lower1 = s$lower[1, 2], upper1 = s$upper[1, 2],
        p2 = s$pstate[1, 3], se2 = s$std.err[1, 3], lower2 = s$lower[1, 3], upper2 = s$upper[1, 3],
        n_event1 = as.integer(s$n.event[1, 2]), n_event2 = as.integer(s$n.event[1, 3]))
    }
  }
}
out(do.call(rbind, steps), "aj_steps.csv")
out(do.call(rbind, at), "aj_at.csv")

# The two-arm difference exactly as evidence.md calls it.
dif <- list()
for (nm in c("tiny", "ties", "big")) {
  d <- cr[[nm]]
  f <- survfit(Surv(time, factor(status, 0:2)) ~ arm, weights = w, id = id, data = d)
  hs <- if (nm == "big") c(365, 1826, 3652) else c(2, 3, 5, 8)
  for (h in hs) {
    s <- summary(f, times = h)
    i0 <- which(s$strata == "arm=0"); i1 <- which(s$strata == "arm=1")
    p0 <- s$pstate[i0, 2]; p1 <- s$pstate[i1, 2]; se0 <- s$std.err[i0, 2]; se1 <- s$std.err[i1, 2]
    dd <- p1 - p0; sd <- sqrt(se1^2 + se0^2)
    dif[[length(dif) + 1]] <- data.frame(set = nm, h = h, p1 = p1, se1 = se1, p0 = p0, se0 = se0,
                                         diff = dd, lower = dd - z * sd, upper = dd + z * sd)
  }
}
out(do.call(rbind, dif), "aj_diff.csv")

## Counting-process Cox -----------------------------------------------------------
cp <- list()
# Hand-made: ids 1..8, some split in two rows, ties within and across strata.
cp[["cp_tiny"]] <- data.frame(
  id =    c(1, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 10, 10, 11, 12),
  start = c(0, 3, 0, 0, 2, 0, 1, 0, 4, 0, 0, 2, 0, 5, 0, 0),
  stop =  c(3, 6, 4, 2, 6, 6, 4, 4, 8, 8, 2, 6, 5, 9, 4, 6),
  event = c(0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1),
  x1 =    c(1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0),
  x2 =    c(0.5, 1.5, 2, 1, 3, -1, 0, 2.5, 1, 0.2, 1.1, 4, 0, 2, 1, 0.3),
  w =     c(1, 1, 2, 1, 1, 20, 1, 1.5, 1.5, 1, 3, 1, 1, 1, 0.5, 1),
  stratum = c("a", "a", "a", "b", "b", "a", "b", "a", "a", "b", "b", "a", "b", "b", "a", "b"),
  stringsAsFactors = FALSE)
# From "big": each person's follow-up split at up to two random days, with a
# time-varying covariate x2 that steps up at each split.
b <- cr[["big"]]
rows <- list()
for (i in seq_len(nrow(b))) {
  k <- sample(0:2, 1)
  cuts <- if (k > 0 && b$time[i] > 3) sort(unique(sample(1:(b$time[i] - 1), min(k, b$time[i] - 1)))) else numeric(0)
  st <- c(0, cuts); sp <- c(cuts, b$time[i]); m <- length(st)
  rows[[i]] <- data.frame(id = b$id[i], start = st, stop = sp,
                          event = c(rep(0, m - 1), as.integer(b$status[i] == 1)),
                          x1 = b$arm[i], x2 = round(rnorm(1) + 0.5 * (seq_len(m) - 1), 3),
                          w = b$w[i], stratum = b$stratum[i], stringsAsFactors = FALSE)
}
cp[["cp_big"]] <- do.call(rbind, rows)
# Clusters of several people (families), heavy ties.
n <- 300
cp[["cp_ties"]] <- data.frame(id = sample(1:60, n, replace = TRUE), start = 0,
                              stop = sample(1:15, n, replace = TRUE), event = rbinom(n, 1, 0.5),
                              x1 = rbinom(n, 1, 0.5), x2 = round(runif(n, -1, 1), 2),
                              w = ifelse(runif(n) < 0.05, 20, 1), stratum = sample(c("a", "b"), n, replace = TRUE),
                              stringsAsFactors = FALSE)
# Right-censored IPW-style: the "big" set with start 0 (Surv(time, status == 1)).
cp[["rc_big"]] <- data.frame(id = b$id, start = 0, stop = b$time, event = as.integer(b$status == 1),
                             x1 = b$arm, x2 = 0, w = b$w, stratum = b$stratum, stringsAsFactors = FALSE)
cpd <- do.call(rbind, lapply(names(cp), function(nm) cbind(set = nm, cp[[nm]])))
out(cpd, "cp_datasets.csv")

coxrows <- function(f, set, case, ws) {
  b <- coef(f); nv <- sqrt(diag(if (is.null(f$naive.var)) f$var else f$naive.var))
  rv <- if (is.null(f$naive.var)) rep(NA, length(b)) else sqrt(diag(f$var))
  se <- sqrt(diag(f$var))
  data.frame(set = set, case = case, term = names(b), n = as.integer(f$n), events = as.integer(f$nevent),
             coef = unname(b), se = unname(nv), robust_se = unname(rv), hr = unname(exp(b)),
             lower = unname(exp(b - z * se)), upper = unname(exp(b + z * se)),
             iter = as.integer(f$iter), loglik = f$loglik[2], warning = wtext(ws))
}
cx <- list()
cases <- list(
  list(set = "cp_tiny", case = "x1+x2|strata|w|cluster", counting = TRUE, covs = "x1 + x2", strata = TRUE, w = TRUE, cl = TRUE),
  list(set = "cp_tiny", case = "x1|w|cluster", counting = TRUE, covs = "x1", strata = FALSE, w = TRUE, cl = TRUE),
  list(set = "cp_tiny", case = "x1+x2", counting = TRUE, covs = "x1 + x2", strata = FALSE, w = FALSE, cl = FALSE),
  list(set = "cp_tiny", case = "x2|strata|w", counting = TRUE, covs = "x2", strata = TRUE, w = TRUE, cl = FALSE),
  list(set = "cp_big", case = "x1+x2|strata|w|cluster", counting = TRUE, covs = "x1 + x2", strata = TRUE, w = TRUE, cl = TRUE),
  list(set = "cp_big", case = "x1|strata|w|cluster", counting = TRUE, covs = "x1", strata = TRUE, w = TRUE, cl = TRUE),
  list(set = "cp_big", case = "x1+x2|cluster", counting = TRUE, covs = "x1 + x2", strata = FALSE, w = FALSE, cl = TRUE),
  list(set = "cp_ties", case = "x1+x2|strata|w|cluster", counting = TRUE, covs = "x1 + x2", strata = TRUE, w = TRUE, cl = TRUE),
  list(set = "cp_ties", case = "x1|cluster", counting = FALSE, covs = "x1", strata = FALSE, w = FALSE, cl = TRUE),
  list(set = "rc_big", case = "x1|strata|w|cluster", counting = FALSE, covs = "x1", strata = TRUE, w = TRUE, cl = TRUE),
  list(set = "rc_big", case = "x1|w", counting = FALSE, covs = "x1", strata = FALSE, w = TRUE, cl = FALSE))
for (cs in cases) {
  d <- cp[[cs$set]]
  lhs <- if (cs$counting) "Surv(start, stop, event)" else "Surv(stop, event)"
  rhs <- paste0(cs$covs, if (cs$strata) " + strata(stratum)" else "")
  fml <- as.formula(paste(lhs, "~", rhs))
  r <- if (cs$w && cs$cl) wcatch(coxph(fml, data = d, weights = w, cluster = id))
       else if (cs$w) wcatch(coxph(fml, data = d, weights = w))
       else if (cs$cl) wcatch(coxph(fml, data = d, cluster = id))
       else wcatch(coxph(fml, data = d))
  cx[[length(cx) + 1]] <- cbind(counting = cs$counting, coxrows(r$value, cs$set, cs$case, r$warnings))
}
out(do.call(rbind, cx), "cox_cp.csv")

## Fine-Gray -------------------------------------------------------------------
fgr <- list(); fgs <- list(); fgc <- list()
for (nm in c("tiny", "ties", "noevent1", "allexit", "allcens", "two", "big")) for (weighted in c(FALSE, TRUE)) {
  d <- cr[[nm]][, c("id", "time", "status", "w", "arm", "stratum")]
  r <- tryCatch(if (weighted) finegray(Surv(time, factor(status, 0:2)) ~ ., data = d, etype = "1", weights = w)
                else finegray(Surv(time, factor(status, 0:2)) ~ ., data = d, etype = "1"),
                error = function(e) conditionMessage(e))
  if (is.character(r) || is.null(r)) {
    msg <- if (is.null(r)) "no rows" else r
    fgs[[length(fgs) + 1]] <- data.frame(set = nm, weighted = weighted, ok = FALSE, rows = NA, sumwt = NA,
                                         sumwtstop = NA, events = NA, error = gsub("[,;]", "", msg))
    next
  }
  pd <- r
  fgs[[length(fgs) + 1]] <- data.frame(set = nm, weighted = weighted, ok = TRUE, rows = nrow(pd),
    sumwt = sum(pd$fgwt), sumwtstop = sum(pd$fgwt * pd$fgstop), events = as.integer(sum(pd$fgstatus)), error = "-")
  if (nm != "big") {
    fgr[[length(fgr) + 1]] <- data.frame(set = nm, weighted = weighted, k = seq_len(nrow(pd)), id = pd$id,
      fgstart = pd$fgstart, fgstop = pd$fgstop, fgstatus = as.integer(pd$fgstatus), fgwt = pd$fgwt)
  }
  if (nm %in% c("ties", "big", "tiny", "allexit")) {
    for (strat in c(TRUE, FALSE)) {
      fml <- if (strat) Surv(fgstart, fgstop, fgstatus) ~ arm + strata(stratum) else Surv(fgstart, fgstop, fgstatus) ~ arm
      rr <- wcatch(coxph(fml, weights = fgwt, data = pd, cluster = id))
      fgc[[length(fgc) + 1]] <- cbind(weighted = weighted, strata = strat,
                                      coxrows(rr$value, nm, if (strat) "arm|strata" else "arm", rr$warnings))
    }
  }
}
out(do.call(rbind, fgr), "fg_rows.csv")
out(do.call(rbind, fgs), "fg_summary.csv")
out(do.call(rbind, fgc), "fg_cox.csv")

## Propensity scores -----------------------------------------------------------
gd <- list()
n <- 3000
codes <- unique(replicate(400, paste(sample(LETTERS, 3, replace = TRUE), collapse = "")))[1:130]
country <- sample(codes, n, replace = TRUE)
ceff <- setNames(rnorm(130, 0, 0.5), codes)
service <- sample(c("ARMY", "NAVY", "AIR_FORCE", "MARINES"), n, replace = TRUE, prob = c(.5, .2, .2, .1))
rank <- sample(paste0("OF-", 1:5), n, replace = TRUE)
sex <- sample(c("F", "M", "U"), n, replace = TRUE, prob = c(.2, .75, .05))
age <- round(rnorm(n, 35, 6)); miss <- runif(n) < 0.1
age[miss] <- median(age[!miss]); fy <- sample(2005:2025, n, replace = TRUE)
lp <- -0.3 + ceff[country] + 0.3 * (service == "NAVY") + 0.1 * as.integer(substr(rank, 4, 4)) -
  0.4 * (sex == "F") + 0.02 * (age - 35) - 0.3 * miss + 0.01 * (fy - 2015)
gd[["ps_big"]] <- data.frame(y = rbinom(n, 1, plogis(lp)), country = country, service = service, rank = rank,
                             sex = sex, age = age, age_missing = as.integer(miss), fy = fy, stringsAsFactors = FALSE)
n <- 40
gd[["ps_small"]] <- data.frame(y = rep(c(0, 1, 1, 0, 1), 8), country = sample(c("USA", "CAN", "MEX"), n, replace = TRUE),
                               service = sample(c("ARMY", "NAVY"), n, replace = TRUE),
                               rank = sample(c("OF-1", "OF-2"), n, replace = TRUE),
                               sex = sample(c("F", "M"), n, replace = TRUE), age = round(rnorm(n, 30, 5)),
                               age_missing = 0L, fy = sample(2010:2020, n, replace = TRUE), stringsAsFactors = FALSE)
# Aliased: service is a copy of sex in disguise and age_missing is all 0 (glm gives NA coefficients; fitted values are fine).
s <- gd[["ps_small"]]; s$service <- ifelse(s$sex == "F", "NAVY", "ARMY")
gd[["ps_alias"]] <- s
# Complete separation on age.
s <- gd[["ps_small"]]; s$y <- as.integer(s$age > median(s$age))
gd[["ps_separated"]] <- s
gdd <- do.call(rbind, lapply(names(gd), function(nm) cbind(set = nm, row = seq_len(nrow(gd[[nm]])), gd[[nm]])))
out(gdd, "glm_data.csv")

gfit <- list(); gfv <- list(); bal <- list(); balarm <- list()
fml <- y ~ country + service + rank + sex + age + age_missing + fy
for (nm in names(gd)) {
  d <- gd[[nm]]
  r <- wcatch(glm(fml, family = binomial, data = d))
  g <- r$value
  gfit[[length(gfit) + 1]] <- data.frame(set = nm, iter = as.integer(g$iter), converged = g$converged,
    deviance = g$deviance, aliased = as.integer(sum(is.na(coef(g)))), rank = as.integer(g$rank), warning = wtext(r$warnings))
  gfv[[length(gfv) + 1]] <- data.frame(set = nm, row = seq_len(nrow(d)), fitted = unname(fitted(g)))
  if (nm %in% c("ps_big", "ps_small")) {
    ps <- unname(fitted(g)); tr <- d$y == 1; pbar <- mean(tr)
    w <- ifelse(tr, pbar / ps, (1 - pbar) / (1 - ps))
    fd <- d
    for (v in c("country", "service", "rank", "sex")) fd[[v]] <- factor(fd[[v]])
    X <- model.matrix(~ country + service + rank + sex + age + age_missing + fy, data = fd,
                      contrasts.arg = lapply(fd[, c("country", "service", "rank", "sex")], contrasts, contrasts = FALSE))
    X <- X[, colnames(X) != "(Intercept)", drop = FALSE]
    for (j in colnames(X)) {
      x <- X[, j]
      s2 <- (var(x[tr]) + var(x[!tr])) / 2
      smd <- function(m1, m0) (m1 - m0) / sqrt(s2)
      bal[[length(bal) + 1]] <- data.frame(set = nm, column = j,
        before = smd(mean(x[tr]), mean(x[!tr])),
        after = smd(weighted.mean(x[tr], w[tr]), weighted.mean(x[!tr], w[!tr])))
    }
    for (a in c(1, 0)) {
      wa <- w[tr == (a == 1)]
      balarm[[length(balarm) + 1]] <- data.frame(set = nm, arm = as.integer(a), n = length(wa),
        ess = sum(wa)^2 / sum(wa^2), maxw = max(wa), sumw = sum(wa), pbar = pbar,
        w1 = w[1], w2 = w[2], w3 = w[3])
    }
  }
}
out(do.call(rbind, gfit), "glm_fit.csv")
out(do.call(rbind, gfv), "glm_fitted.csv")
out(do.call(rbind, bal), "balance.csv")
out(do.call(rbind, balarm), "balance_arm.csv")

## E-values, power, multiplicity ---------------------------------------------------
# EValue::evalues.HR, written out (the package may not be installed):
# rare = FALSE converts HR to RR by (1 - 0.5^sqrt(HR)) / (1 - 0.5^sqrt(1/HR)).
toRR <- function(hr, common) if (common) (1 - 0.5^sqrt(hr)) / (1 - 0.5^sqrt(1 / hr)) else hr
thr <- function(rr) { rr <- ifelse(rr < 1, 1 / rr, rr); rr + sqrt(rr * (rr - 1)) }
ev <- list()
for (cs in list(c(0.56, 0.46, 0.69), c(1.8, 1.2, 2.7), c(0.8, 0.6, 1.1), c(1.3, 0.9, 1.9),
                c(1, 0.7, 1.4), c(0.2, 0.1, 0.4), c(3.5, 1.01, 12), c(1.05, 1.001, 1.1))) {
  for (common in c(TRUE, FALSE)) {
    hr <- cs[1]; lo <- cs[2]; hi <- cs[3]
    rr <- toRR(hr, common); rlo <- toRR(lo, common); rhi <- toRR(hi, common)
    e <- thr(rr)
    el <- if (rlo <= 1 && rhi >= 1) 1 else if (rr < 1) thr(rhi) else thr(rlo)
    ev[[length(ev) + 1]] <- data.frame(hr = hr, lower = lo, upper = hi, common = common, e = e, e_limit = el)
  }
}
out(do.call(rbind, ev), "evalue.csv")

md <- list()
for (e in c(1, 10, 57, 200, 1000)) for (p in c(0.1, 0.3, 0.5, 0.77)) {
  md[[length(md) + 1]] <- data.frame(events = as.integer(e), p = p,
                                     mde = exp((qnorm(0.975) + qnorm(0.8)) / sqrt(e * p * (1 - p))))
}
out(do.call(rbind, md), "mde.csv")

bh <- list()
pcases <- list(simple = c(0.01, 0.04, 0.03, 0.2, 0.5),
               ties = c(0.02, 0.02, 0.02, 0.5, 0.001, 0.5),
               withna = c(0.04, NA, 0.001, NaN, 0.3, 0.04),
               one = 0.03, allna = c(NA, NA),
               big = signif(c(runif(40), runif(10, 0, 0.01)), 3))
for (nm in names(pcases)) {
  p <- pcases[[nm]]
  bh[[length(bh) + 1]] <- data.frame(case = nm, i = seq_along(p), p = p, adj = p.adjust(p, "BH"))
}
out(do.call(rbind, bh), "bh.csv")

out(data.frame(r = R.version.string, survival = as.character(packageVersion("survival"))), "ev_versions.csv")
