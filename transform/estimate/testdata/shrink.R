# shrink.R writes the reference values for the small-country shrinkage and
# the funnel limits of evidence.md ("Leadership penetration"). Run from
# this directory:
#
#     cd transform/estimate/testdata && Rscript shrink.R
#
# It needs R and metafor (Debian: apt-get install r-cran-metafor), writes
# small CSV files next to itself with 17 significant digits (NA as NA), and
# the Go tests read them without R. It touches no file of goldens.R or
# evidence.R.
#
# Files written:
#   shrink_versions.csv  R and metafor versions
#   shrink_data.csv      data sets (set, study, x, n)
#   shrink_study.csv     per study: escalc(measure = "PLO", xi, ni) yi and
#                        vi (add = 1/2, to = "only0": 0.5 added to x and to
#                        n - x when either is 0), and blup(fit) on the logit
#                        scale (pred, se, pi.lb, pi.ub) and with
#                        transf = transf.ilogit (share, lower, upper)
#   shrink_fit.csv       per set: rma(yi, vi, method = "DL"): k, tau2, QE,
#                        mu (beta), se, and predict(fit, transf =
#                        transf.ilogit): the pooled share and its limits
#   funnel.csv           for p0, n and probability p: qbinom(p, n, p0) and
#                        the interpolated limit (r - a) / n clamped to
#                        [0, 1], r = qbinom(p, n, p0), a = (pbinom(r, n, p0)
#                        - p) / dbinom(r, n, p0) (Spiegelhalter 2005,
#                        Statistics in Medicine 24:1185, appendix A.1.1)
suppressPackageStartupMessages(library(metafor))

num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
out <- function(df, file) {
  for (nm in names(df)) if (is.numeric(df[[nm]]) && !is.integer(df[[nm]])) df[[nm]] <- num(df[[nm]])
  write.table(df, file, sep = ",", quote = FALSE, row.names = FALSE, na = "NA")
}

sets <- list(
  # very different n, a country with x = 0 and one with x = n
  mixed = data.frame(x = c(0L, 3L, 5L, 2L, 30L, 12L, 140L, 4L),
                     n = c(4L, 3L, 12L, 40L, 60L, 150L, 600L, 9L)),
  # homogeneous: Q < k - 1, tau2 truncated at 0
  homog = data.frame(x = c(10L, 21L, 4L, 41L, 20L), n = c(50L, 100L, 20L, 200L, 99L)),
  # strongly heterogeneous, some large countries
  hetero = data.frame(x = c(1L, 45L, 90L, 7L, 300L, 0L), n = c(50L, 60L, 100L, 70L, 400L, 25L)),
  # every country has no graduate in post, and every one all
  zeros = data.frame(x = c(0L, 0L, 0L), n = c(2L, 5L, 11L)),
  alln = data.frame(x = c(3L, 1L, 6L, 2L), n = c(3L, 1L, 6L, 2L)),
  # two countries only
  two = data.frame(x = c(1L, 8L), n = c(10L, 12L))
)

data <- do.call(rbind, lapply(names(sets), function(s)
  data.frame(set = s, study = seq_len(nrow(sets[[s]])), x = sets[[s]]$x, n = sets[[s]]$n)))
out(data, "shrink_data.csv")

study <- list(); fit <- list()
for (s in names(sets)) {
  d <- sets[[s]]
  es <- escalc(measure = "PLO", xi = d$x, ni = d$n)
  m <- rma(yi, vi, data = es, method = "DL")
  b <- blup(m)
  bt <- blup(m, transf = transf.ilogit)
  pr <- predict(m, transf = transf.ilogit)
  study[[s]] <- data.frame(set = s, study = seq_len(nrow(d)), yi = as.numeric(es$yi), vi = es$vi,
                           pred = b$pred, se = b$se, pi_lb = b$pi.lb, pi_ub = b$pi.ub,
                           share = bt$pred, lower = bt$pi.lb, upper = bt$pi.ub)
  fit[[s]] <- data.frame(set = s, k = m$k, tau2 = m$tau2, QE = m$QE, mu = as.numeric(m$beta),
                         se = m$se, pooled = pr$pred, pooled_lb = pr$ci.lb, pooled_ub = pr$ci.ub)
}
out(do.call(rbind, study), "shrink_study.csv")
out(do.call(rbind, fit), "shrink_fit.csv")

grid <- expand.grid(p = c(0.001, 0.025, 0.975, 0.999), n = c(1L, 2L, 3L, 5L, 10L, 17L, 40L, 100L, 250L, 1000L),
                    p0 = c(0.02, 0.15, 0.5, 0.93))
grid <- grid[, c("p0", "n", "p")]
grid$q <- as.integer(qbinom(grid$p, grid$n, grid$p0))
a <- (pbinom(grid$q, grid$n, grid$p0) - grid$p) / dbinom(grid$q, grid$n, grid$p0)
grid$limit <- pmin(1, pmax(0, (grid$q - a) / grid$n))
out(grid, "funnel.csv")

out(data.frame(r = R.version.string, metafor = as.character(packageVersion("metafor"))), "shrink_versions.csv")
