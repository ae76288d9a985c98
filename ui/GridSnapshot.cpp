#include "GridSnapshot.h"

#include <QFileInfo>
#include <QPainter>
#include <QSaveFile>
#include <map>

#include "PlayerController.h"
#include "ViewLabels.h"
#include "core/AtomicFile.h"
#include "core/Json.h"
#include "core/WavFile.h"

namespace heardmap {

QStringList writeGridSnapshot(const QString& pngPath, const std::vector<QImage>& tiles, QSize shape,
                              const PlayerController& controller) {
  int tileW = 0;
  int tileH = 0;
  for (const QImage& tile : tiles) {
    tileW = std::max(tileW, tile.width());
    tileH = std::max(tileH, tile.height());
  }
  QImage image(tileW * shape.width(), tileH * shape.height(), QImage::Format_RGB32);
  image.fill(Qt::black);
  {
    QPainter painter(&image);
    for (int i = 0; i < static_cast<int>(tiles.size()); ++i) {
      painter.drawImage((i % shape.width()) * tileW, (i / shape.width()) * tileH,
                        tiles[static_cast<size_t>(i)]);
    }
  }
  QSaveFile png(pngPath);
  if (!png.open(QIODevice::WriteOnly) || !image.save(&png, "PNG") || !png.commit()) {
    throw FileError("cannot write " + pngPath.toStdString() + ": " +
                    png.errorString().toStdString());
  }
  QStringList written{pngPath};

  // The audio each view heard: one WAV per distinct window, named after the first view using it.
  const QString base = pngPath.endsWith(".png", Qt::CaseInsensitive) ? pngPath.chopped(4) : pngPath;
  Json meta;
  meta["clip"] = controller.mediaPath().toStdString();
  meta["time_s"] = controller.currentFrame().timeSeconds;
  meta["live_microphone"] = controller.isLive();
  Json::Array views;
  std::map<std::vector<float>, QString> wavByWindow;
  for (int i = 0; i < controller.viewCount(); ++i) {
    const ViewSlot& slot = controller.view(i);
    const PreprocessingContract contract = controller.effectiveContract(i);
    Json v;
    v["view"] = i + 1;
    v["method"] = viewModelLabel(slot).toStdString();
    v["checkpoint"] = slot.checkpointPath.toStdString();
    v["audio_condition"] = audioConditionName(slot.condition);
    v["raw_min"] = static_cast<double>(slot.raw.rawMin);
    v["raw_max"] = static_cast<double>(slot.raw.rawMax);
    v["contract"] = contract.toJson();
    v["overlay"] = overlayJson(slot.processor.settings());
    if (!slot.window.empty()) {
      auto it = wavByWindow.find(slot.window);
      if (it == wavByWindow.end()) {
        const QString wav =
            wavByWindow.empty() ? base + ".wav" : base + QStringLiteral(".view%1.wav").arg(i + 1);
        writeWavMono16(wav.toStdString(), slot.window, contract.sampleRateHz);
        written << wav;
        it = wavByWindow.emplace(slot.window, wav).first;
      }
      v["audio_file"] = QFileInfo(it->second).fileName().toStdString();
    }
    views.push_back(v);
  }
  meta["views"] = views;
  const QString json = base + ".json";
  writeFileAtomically(json.toStdString(), meta.dump(2) + "\n");
  written << json;
  return written;
}

}  // namespace heardmap
