// Runs a grid video export as a BackgroundJob behind a modal progress dialog (frame n of m,
// Cancel), keeping the event loop alive; returns when the export has ended.
#pragma once

#include <QString>

#include "BackgroundJob.h"
#include "GridVideoExport.h"

class QWidget;

namespace heardmap {

struct ExportOutcome {
  bool written = false;
  bool cancelled = false;
  QString error;  // non-empty when the export failed
  GridExportSummary summary;
};

// job runs the export (the caller may cancel it meanwhile, as the dialog's Cancel does).
ExportOutcome runGridExport(QWidget* parent, const GridExportOptions& options, BackgroundJob& job);

}  // namespace heardmap
