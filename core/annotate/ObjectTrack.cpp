#include "ObjectTrack.h"

#include <algorithm>
#include <cmath>

namespace heardmap {

std::string objectShapeName(ObjectShape shape) {
  return shape == ObjectShape::Point ? "point" : "box";
}

NormalizedBox NormalizedBox::normalized() const {
  const auto clip = [](double v) { return std::clamp(v, 0.0, 1.0); };
  return {clip(std::min(x0, x1)), clip(std::min(y0, y1)), clip(std::max(x0, x1)),
          clip(std::max(y0, y1))};
}

void ObjectTrack::setKeyframe(double timeSeconds, const NormalizedBox& box) {
  NormalizedBox shaped = box.normalized();
  if (shape == ObjectShape::Point) {
    shaped.x1 = shaped.x0;
    shaped.y1 = shaped.y0;
  }
  for (BoxKeyframe& k : keyframes) {
    if (std::abs(k.timeSeconds - timeSeconds) < kKeyframeMergeSeconds) {
      k.box = shaped;
      return;
    }
  }
  keyframes.push_back({timeSeconds, shaped});
  std::sort(keyframes.begin(), keyframes.end(), [](const BoxKeyframe& a, const BoxKeyframe& b) {
    return a.timeSeconds < b.timeSeconds;
  });
}

bool ObjectTrack::removeKeyframe(double timeSeconds) {
  auto best = keyframes.end();
  double bestGap = kKeyframeMergeSeconds;
  for (auto it = keyframes.begin(); it != keyframes.end(); ++it) {
    const double gap = std::abs(it->timeSeconds - timeSeconds);
    if (gap < bestGap) {
      bestGap = gap;
      best = it;
    }
  }
  if (best == keyframes.end()) {
    return false;
  }
  keyframes.erase(best);
  return true;
}

std::optional<NormalizedBox> ObjectTrack::boxAt(double timeSeconds, bool keyframesOnly) const {
  if (keyframes.empty()) {
    return std::nullopt;
  }
  if (keyframesOnly) {
    for (const BoxKeyframe& k : keyframes) {
      if (std::abs(k.timeSeconds - timeSeconds) < kKeyframeMergeSeconds) {
        return k.box;
      }
    }
    return std::nullopt;
  }
  if (timeSeconds <= keyframes.front().timeSeconds) {
    return keyframes.front().box;
  }
  if (timeSeconds >= keyframes.back().timeSeconds) {
    return keyframes.back().box;
  }
  for (size_t i = 1; i < keyframes.size(); ++i) {
    const BoxKeyframe& a = keyframes[i - 1];
    const BoxKeyframe& b = keyframes[i];
    if (timeSeconds <= b.timeSeconds) {
      const double span = b.timeSeconds - a.timeSeconds;
      const double w = span > 0.0 ? (timeSeconds - a.timeSeconds) / span : 1.0;
      const auto mix = [w](double p, double q) { return p + (q - p) * w; };
      return NormalizedBox{mix(a.box.x0, b.box.x0), mix(a.box.y0, b.box.y0),
                           mix(a.box.x1, b.box.x1), mix(a.box.y1, b.box.y1)};
    }
  }
  return keyframes.back().box;
}

bool ObjectTrack::operator==(const ObjectTrack& o) const {
  if (id != o.id || label != o.label || shape != o.shape ||
      keyframes.size() != o.keyframes.size()) {
    return false;
  }
  for (size_t i = 0; i < keyframes.size(); ++i) {
    if (keyframes[i].timeSeconds != o.keyframes[i].timeSeconds ||
        !(keyframes[i].box == o.keyframes[i].box)) {
      return false;
    }
  }
  return true;
}

}  // namespace heardmap
