#include "FailureAnnotation.h"

#include <algorithm>
#include <cmath>

namespace heardmap {

std::string failureTagName(FailureTag tag) {
  switch (tag) {
    case FailureTag::FalsePositive:
      return "false-positive";
    case FailureTag::MissedSource:
      return "missed-source";
    case FailureTag::WrongObject:
      return "wrong-object";
    case FailureTag::OffScreenConfusion:
      return "off-screen-confusion";
    case FailureTag::SilenceHallucination:
      return "silence-hallucination";
    case FailureTag::Custom:
      return "custom";
    case FailureTag::Invalid:
      break;
  }
  return "invalid";
}

std::string failureTagLabel(FailureTag tag) {
  std::string name = failureTagName(tag);
  std::replace(name.begin(), name.end(), '-', ' ');
  return name;
}

FailureTag failureTagFromName(const std::string& name) {
  for (FailureTag tag : allFailureTags()) {
    if (failureTagName(tag) == name) {
      return tag;
    }
  }
  return FailureTag::Invalid;
}

std::vector<FailureTag> allFailureTags() {
  return {FailureTag::FalsePositive,      FailureTag::MissedSource,         FailureTag::WrongObject,
          FailureTag::OffScreenConfusion, FailureTag::SilenceHallucination, FailureTag::Custom};
}

NormalizedBox NormalizedBox::normalized() const {
  const auto clip = [](double v) { return std::clamp(v, 0.0, 1.0); };
  return {clip(std::min(x0, x1)), clip(std::min(y0, y1)), clip(std::max(x0, x1)),
          clip(std::max(y0, y1))};
}

void FailureAnnotation::setKeyframe(double timeSeconds, const NormalizedBox& box) {
  for (BoxKeyframe& k : keyframes) {
    if (std::abs(k.timeSeconds - timeSeconds) < kKeyframeMergeSeconds) {
      k.box = box.normalized();
      return;
    }
  }
  keyframes.push_back({timeSeconds, box.normalized()});
  std::sort(keyframes.begin(), keyframes.end(), [](const BoxKeyframe& a, const BoxKeyframe& b) {
    return a.timeSeconds < b.timeSeconds;
  });
}

bool FailureAnnotation::removeKeyframe(double timeSeconds) {
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

std::optional<NormalizedBox> FailureAnnotation::boxAt(double timeSeconds) const {
  if (keyframes.empty()) {
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

std::string FailureAnnotation::tagText() const {
  if (tag == FailureTag::Custom && !customTag.empty()) {
    return customTag;
  }
  return failureTagLabel(tag);
}

Json FailureAnnotation::toJson() const {
  Json json;
  json["id"] = id;
  json["start_s"] = startSeconds;
  json["end_s"] = endSeconds;
  json["tag"] = failureTagName(tag);
  if (tag == FailureTag::Custom) {
    json["custom_tag"] = customTag;
  }
  json["note"] = note;
  json["method"] = method;
  json["checkpoint"] = checkpoint;
  json["audio_condition"] = audioConditionName(condition);
  Json::Array frames;
  for (const BoxKeyframe& k : keyframes) {
    Json frame;
    frame["t_s"] = k.timeSeconds;
    frame["box_xyxy"] = Json::Array{k.box.x0, k.box.y0, k.box.x1, k.box.y1};
    frames.push_back(frame);
  }
  json["keyframes"] = frames;
  return json;
}

FailureAnnotation FailureAnnotation::fromJson(const Json& json) {
  FailureAnnotation a;
  a.id = static_cast<int>(json.intAt("id", 0, kMaxAnnotationId - 1));
  a.startSeconds = json.finiteAt("start_s");
  a.endSeconds = json.finiteAt("end_s");
  if (!(a.endSeconds >= a.startSeconds) || a.startSeconds < 0.0) {
    throw JsonError("annotation " + std::to_string(a.id) + ": bad time range");
  }
  a.tag = failureTagFromName(json.at("tag").asString());
  if (a.tag == FailureTag::Invalid) {
    throw JsonError("annotation " + std::to_string(a.id) + ": unknown tag '" +
                    json.at("tag").asString() + "'");
  }
  a.customTag = json.stringOr("custom_tag", "");
  a.note = json.stringOr("note", "");
  a.method = json.stringOr("method", "");
  a.checkpoint = json.stringOr("checkpoint", "");
  a.condition = audioConditionFromName(json.stringOr("audio_condition", "real"));
  if (a.condition == AudioCondition::Invalid) {
    throw JsonError("annotation " + std::to_string(a.id) + ": unknown audio condition");
  }
  if (json.contains("keyframes")) {
    for (const Json& frame : json.at("keyframes").asArray()) {
      const Json::Array& box = frame.at("box_xyxy").asArray();
      if (box.size() != 4) {
        throw JsonError("annotation " + std::to_string(a.id) + ": a box needs 4 numbers");
      }
      for (const Json& v : box) {
        if (!std::isfinite(v.asNumber())) {
          throw JsonError("annotation " + std::to_string(a.id) + ": a box value is not finite");
        }
      }
      a.setKeyframe(frame.finiteAt("t_s"),
                    {box[0].asNumber(), box[1].asNumber(), box[2].asNumber(), box[3].asNumber()});
    }
  }
  return a;
}

bool FailureAnnotation::operator==(const FailureAnnotation& o) const {
  if (keyframes.size() != o.keyframes.size()) {
    return false;
  }
  for (size_t i = 0; i < keyframes.size(); ++i) {
    if (keyframes[i].timeSeconds != o.keyframes[i].timeSeconds ||
        !(keyframes[i].box == o.keyframes[i].box)) {
      return false;
    }
  }
  return id == o.id && startSeconds == o.startSeconds && endSeconds == o.endSeconds &&
         tag == o.tag && customTag == o.customTag && note == o.note && method == o.method &&
         checkpoint == o.checkpoint && condition == o.condition;
}

}  // namespace heardmap
