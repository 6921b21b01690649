package schemas

// IfNobodyLeftLabel is how every product names a 1 − Kaplan-Meier
// attainment (the registry's IfNobodyLeft metrics): the share that would
// have reached the event if nobody left the service, those who left
// censored as if they might still reach it. The registry puts it in those
// metrics' titles; the reports head the column beside the competing-exits
// share with it.
const IfNobodyLeftLabel = "if nobody left the service"
