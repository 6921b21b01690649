# goldens.R writes the reference values the estimate package is tested
# against. Run from this directory:
#
#     cd transform/estimate/testdata && Rscript goldens.R
#
# It needs only R and the recommended package survival (no jsonlite), and
# writes small CSV files next to itself. The Go tests read those files and
# never need R. Numbers are written with 17 significant digits; NA and NaN
# are both written as NA, infinities as Inf / -Inf.
#
# Files written:
#   versions.csv  R and survival versions that produced the goldens
#   datasets.csv  every data set used below (set,time,status,x,stratum):
#                 the built-in ones as R has them and the generated ones,
#                 so Go reads exactly what R used
#   km_steps.csv  survfit() per distinct time: n.risk, n.event, n.censor,
#                 surv, std.err, lower, upper (conf.type "log")
#   km_summary.csv n, events, and median / 0.95LCL / 0.95UCL as print() shows
#   km_at.csv     summary(fit, times = h) for a grid of h; ok = FALSE when R
#                 refuses (h past the last follow-up time)
#   cox.csv       coxph(Surv(time, status) ~ x [+ strata(stratum)]), Efron,
#                 with the warnings R gave
#   logrank.csv   survdiff(Surv(time, status) ~ x [+ strata(stratum)])
#   wilson.csv    prop.test(x, n, correct = FALSE)
#   garwood.csv   poisson.test(x, T)$conf.int, per 1000 person-years
#   qgamma.csv    qgamma(p, shape) on a grid
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
# wcatch evaluates expr and collects its warnings instead of printing them.
wcatch <- function(expr) {
  ws <- character(0)
  v <- withCallingHandlers(expr, warning = function(w) {
    ws <<- c(ws, conditionMessage(w)); invokeRestart("muffleWarning")
  })
  list(value = v, warnings = ws)
}

sets <- list()
add <- function(name, time, status, x = 0, stratum = "") {
  n <- length(time)
  sets[[name]] <<- data.frame(time = as.numeric(time), status = as.integer(status),
                              x = rep_len(as.numeric(x), n),
                              stratum = rep_len(as.character(stratum), n),
                              stringsAsFactors = FALSE)
}

## Built-in data sets -------------------------------------------------------
add("aml", aml$time, aml$status, x = as.numeric(aml$x == "Maintained"))
add("aml_maintained", aml$time[aml$x == "Maintained"], aml$status[aml$x == "Maintained"])
add("aml_nonmaintained", aml$time[aml$x == "Nonmaintained"], aml$status[aml$x == "Nonmaintained"])
add("lung", lung$time, lung$status == 2, x = lung$sex - 1)
lung2 <- lung[!is.na(lung$ph.ecog), ]          # ph.ecog 3 is a stratum of one
add("lung_ecog", lung2$time, lung2$status == 2, x = lung2$sex - 1, stratum = lung2$ph.ecog)
add("lung_age", lung$time, lung$status == 2, x = lung$age)   # continuous covariate
add("veteran", veteran$time, veteran$status, x = veteran$trt - 1,
    stratum = as.character(veteran$celltype))

## Generated data sets -------------------------------------------------------
set.seed(20240601)
# Heavy ties: integer times 1..20, many events and censorings at the same
# time, three strata plus a stratum "solo" holding one person (an event).
n <- 200
add("ties", c(sample(1:20, n, replace = TRUE), 7),
    c(rbinom(n, 1, 0.6), 1),
    x = c(rbinom(n, 1, 0.5), 1),
    stratum = c(sample(c("a", "b", "c"), n, replace = TRUE), "solo"))
# One group entirely censored: KM of that group has no events; Cox diverges
# (beta -> -Inf) and R says the loglik converged before the variable.
t0 <- sample(1:60, 30, replace = TRUE); s0 <- rbinom(30, 1, 0.7)
t1 <- sample(1:60, 25, replace = TRUE)
add("censgroup", c(t0, t1), c(s0, rep(0, 25)), x = c(rep(0, 30), rep(1, 25)))
add("censgroup_x1", t1, rep(0, 25))
# Complete separation with no censoring after the events: the loglik keeps
# moving, R runs out of iterations.
add("separated", 1:6, c(1, 1, 0, 1, 0, 0), x = c(1, 1, 0, 1, 0, 0))
# No events at all.
add("noevents", c(3, 5, 5, 8, 13), rep(0, 5), x = c(0, 1, 0, 1, 1))
# S exactly 0.5 on a flat segment (median is the midpoint 3.5), and S exactly
# 0.5 to the end of follow-up (median is the time it got there).
add("half_mid", c(1, 2, 3, 5), c(1, 1, 0, 1))
add("half_end", c(1, 2, 3, 4), c(1, 1, 0, 0))
# 10 people, 5 single deaths: S = 9/10*8/9*7/8*6/7*5/6 is 0.5 only up to
# rounding; R's tolerance still takes the midpoint.
add("half_round", c(1, 2, 3, 4, 5, 6, 6, 8, 9, 10), c(1, 1, 1, 1, 1, 0, 0, 1, 0, 0))
# Median never reached: light events, heavy censoring.
tt <- round(rexp(80, 1 / 8000)) + 1; cc <- sample(30:1500, 80, replace = TRUE)
add("notreached", pmin(tt, cc), as.integer(tt <= cc),
    x = rbinom(80, 1, 0.5), stratum = sample(c("p", "q"), 80, replace = TRUE))
# Day-valued follow-up past five years, with the last time an event (S = 0).
tt <- round(rweibull(60, 1.2, 900)) + 1; cc <- sample(200:2500, 60, replace = TRUE)
add("days", pmin(tt, cc), as.integer(tt <= cc), x = rbinom(60, 1, 0.4))
sets$days$status[which.max(sets$days$time)] <- 1L
# Everyone in group 0 leaves before the first event: group 0 expects no
# events (survdiff: df 0, chisq 0, p 1), and Cox has zero information
# (coefficient NA).
add("noexpected", c(1, 2, 3, 4, 5, 6), c(0, 0, 1, 1, 0, 1), x = c(0, 0, 1, 1, 1, 1))
# An outlying covariate value makes Newton-Raphson overshoot: coxfit6
# halves the step (once in halving1, twice in halving2) before converging.
add("halving1", c(7, 6, 3, 2, 5, 8, 7, 8, 8, 6, 4), c(0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0),
    x = c(0, 2, 0, 18, 2, 1, 0, 3, 3, 2, 0))
add("halving2", c(10, 8, 6, 2, 3, 8, 9, 10, 4, 4, 3, 6, 2, 8), c(0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0),
    x = c(3, 3, 3, 1, 0, 0, 2, 3, 2, 2, 0, 2, 25, 1))
# A single person.
add("single", 42, 1)

ds <- do.call(rbind, lapply(names(sets), function(nm) cbind(set = nm, sets[[nm]])))
ds$stratum[ds$stratum == ""] <- "-"
out(ds, "datasets.csv")

## Kaplan-Meier --------------------------------------------------------------
kmsets <- c("aml", "aml_maintained", "aml_nonmaintained", "lung", "veteran",
            "ties", "censgroup_x1", "noevents", "half_mid", "half_end",
            "half_round", "notreached", "days", "single")
steps <- list(); summ <- list(); at <- list()
for (nm in kmsets) {
  d <- sets[[nm]]
  f <- survfit(Surv(time, status) ~ 1, data = d)
  steps[[nm]] <- data.frame(set = nm, time = f$time, n_risk = as.integer(f$n.risk),
                            n_event = as.integer(f$n.event), n_censor = as.integer(f$n.censor),
                            surv = f$surv, std_err = f$std.err, lower = f$lower, upper = f$upper)
  tab <- summary(f)$table
  summ[[nm]] <- data.frame(set = nm, n = as.integer(tab[["n.max"]]), events = as.integer(tab[["events"]]),
                           median = tab[["median"]], lcl = tab[["0.95LCL"]], ucl = tab[["0.95UCL"]])
  mx <- max(d$time)
  hs <- sort(unique(c(0, 1, 30, 90, 180, 365, 730, 1095, 1826, 3650,
                      min(d$time) - 0.5, d$time, d$time + 0.5, mx, mx + 1)))
  hs <- hs[hs >= 0]
  for (h in hs) {
    s <- tryCatch(summary(f, times = h), error = function(e) NULL)
    if (is.null(s) || length(s$surv) == 0) {
      at[[length(at) + 1]] <- data.frame(set = nm, h = h, ok = "FALSE", surv = NA, lower = NA, upper = NA)
    } else {
      at[[length(at) + 1]] <- data.frame(set = nm, h = h, ok = "TRUE", surv = s$surv,
                                         lower = s$lower, upper = s$upper)
    }
  }
}
out(do.call(rbind, steps), "km_steps.csv")
out(do.call(rbind, summ), "km_summary.csv")
out(do.call(rbind, at), "km_at.csv")

## Cox and log-rank ----------------------------------------------------------
cases <- list(
  c("aml", "FALSE"), c("lung", "FALSE"), c("lung_ecog", "TRUE"), c("lung_ecog", "FALSE"),
  c("lung_age", "FALSE"), c("veteran", "TRUE"), c("veteran", "FALSE"),
  c("ties", "TRUE"), c("ties", "FALSE"), c("censgroup", "FALSE"),
  c("separated", "FALSE"), c("noevents", "FALSE"), c("notreached", "TRUE"),
  c("days", "FALSE"), c("noexpected", "FALSE"),
  c("halving1", "FALSE"), c("halving2", "FALSE"))
z <- qnorm(0.975)
cox <- list(); lr <- list()
for (cs in cases) {
  nm <- cs[1]; strat <- cs[2] == "TRUE"
  d <- sets[[nm]]
  fml <- if (strat) Surv(time, status) ~ x + strata(stratum) else Surv(time, status) ~ x
  r <- wcatch(coxph(fml, data = d))
  f <- r$value
  b <- unname(coef(f)); se <- sqrt(unname(f$var[1, 1]))
  if (is.na(b)) se <- NA
  w <- if (length(r$warnings)) paste(gsub("[,;]", "", trimws(r$warnings)), collapse = " | ") else "-"
  cox[[length(cox) + 1]] <- data.frame(set = nm, strata = cs[2], n = as.integer(f$n),
    events = as.integer(f$nevent), coef = b, se = se, hr = exp(b),
    lower = exp(b - z * se), upper = exp(b + z * se),
    p = pchisq((b / se)^2, 1, lower.tail = FALSE), iter = as.integer(f$iter), warning = w)
  if (length(unique(d$x)) == 2) {
    r <- wcatch(survdiff(fml, data = d))
    sd <- r$value
    etmp <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
    lr[[length(lr) + 1]] <- data.frame(set = nm, strata = cs[2], chisq = sd$chisq,
                                       df = as.integer(sum(etmp > 0) - 1), p = sd$pvalue)
  }
}
out(do.call(rbind, cox), "cox.csv")
out(do.call(rbind, lr), "logrank.csv")

## Proportions and rates -----------------------------------------------------
wil <- list()
for (n in c(1, 2, 3, 5, 10, 37, 100, 1000, 12345)) {
  for (x in unique(c(0, 1, floor(n / 3), floor(n / 2), n - 1, n))) {
    if (x < 0 || x > n) next
    ci <- suppressWarnings(prop.test(x, n, correct = FALSE))$conf.int
    wil[[length(wil) + 1]] <- data.frame(x = as.integer(x), n = as.integer(n), p = x / n,
                                         lower = ci[1], upper = ci[2])
  }
}
out(do.call(rbind, wil), "wilson.csv")

gar <- list()
for (x in c(0, 1, 2, 5, 17, 100)) {
  for (py in c(0.5, 10, 123.4, 1000, 25000)) {
    ci <- poisson.test(x, py)$conf.int * 1000
    gar[[length(gar) + 1]] <- data.frame(x = as.integer(x), py = py, rate = x / py * 1000,
                                         lower = ci[1], upper = ci[2])
  }
}
out(do.call(rbind, gar), "garwood.csv")

qg <- list()
for (shape in c(0.5, 1, 1.5, 2, 3, 5.5, 6, 17, 18, 50, 100, 101, 1000, 1e4)) {
  for (p in c(1e-10, 1e-4, 0.001, 0.025, 0.1, 0.5, 0.9, 0.975, 0.999, 1 - 1e-6)) {
    qg[[length(qg) + 1]] <- data.frame(p = p, shape = shape, q = qgamma(p, shape))
  }
}
out(do.call(rbind, qg), "qgamma.csv")

out(data.frame(r = R.version.string, survival = as.character(packageVersion("survival"))),
    "versions.csv")
