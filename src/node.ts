// Node-only parts of wasm-optim (files, progress bar, reports): import from "wasm-optim/node".
export * from "./data/node/index.js";
export { checkpoint, readCheckpoint, saveCheckpoint, loadCheckpoint, exportSafetensors, importSafetensors } from "./train/checkpoint-file.js";
export { writeFileAtomic } from "./train/atomic-write.js";
export { createProgressBar } from "./train/progress.js";
export { lineChart, scheduleChart, type LineChartOptions, type ScheduleChartOptions, type Series } from "./report/line-chart.js";
export { lrFinderChart, type LrFinderChartOptions } from "./report/lr-finder-chart.js";
export { landscapeChart, type LandscapeChartOptions } from "./report/landscape-chart.js";
export { renderSvg, type VegaLiteSpec } from "./report/render.js";
export { writeReport } from "./report/write.js";
export { renderReport, formatNumber, escapeHtml, type ReportOptions, type ReportSection, type ReportChart, type ReportTable } from "./report/html.js";
export { toCsv } from "./report/csv.js";
export { explainOptimizer, optimizerExplanations, type OptimizerExplanation } from "./report/explain.js";
export { compareReport, type CompareReportOptions } from "./lab/html/compare-report.js";
export { lrFindReport, type LrFindEntry } from "./lab/html/lr-find-report.js";
export { adviseReport } from "./lab/html/advise-report.js";
export { landscapeReport } from "./lab/html/landscape-report.js";
export { trainReport, type TrainReportInput } from "./lab/html/train-report.js";
