#include "FailureAnnotation.h"

#include <algorithm>
#include <cmath>

namespace heardmap {
namespace {

// Reads a list of {"t_s", "box_xyxy"} into track (where names it in errors).
void readKeyframes(const Json& list, const std::string& where, ObjectTrack* track) {
  for (const Json& frame : list.asArray()) {
    const Json::Array& box = frame.at("box_xyxy").asArray();
    if (box.size() != 4) {
      throw JsonError(where + ": a box needs 4 numbers");
    }
    for (const Json& v : box) {
      if (!std::isfinite(v.asNumber())) {
        throw JsonError(where + ": a box value is not finite");
      }
    }
    track->setKeyframe(frame.finiteAt("t_s"), {box[0].asNumber(), box[1].asNumber(),
                                               box[2].asNumber(), box[3].asNumber()});
  }
}

}  // namespace

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

ObjectTrack* FailureAnnotation::object(int objectId) {
  for (ObjectTrack& o : objects) {
    if (o.id == objectId) {
      return &o;
    }
  }
  return nullptr;
}

const ObjectTrack* FailureAnnotation::object(int objectId) const {
  return const_cast<FailureAnnotation*>(this)->object(objectId);
}

ObjectTrack& FailureAnnotation::addObject(ObjectShape shape, const std::string& label) {
  int next = 1;
  for (const ObjectTrack& o : objects) {
    next = std::max(next, o.id + 1);
  }
  ObjectTrack track;
  track.id = next;
  track.shape = shape;
  track.label = label;
  objects.push_back(std::move(track));
  return objects.back();
}

void FailureAnnotation::setKeyframe(double timeSeconds, const NormalizedBox& box, int objectId) {
  ObjectTrack* track = object(objectId);
  if (track == nullptr) {
    ObjectTrack made;
    made.id = objectId;
    objects.push_back(made);
    std::sort(objects.begin(), objects.end(),
              [](const ObjectTrack& p, const ObjectTrack& q) { return p.id < q.id; });
    track = object(objectId);
  }
  track->setKeyframe(timeSeconds, box);
}

bool FailureAnnotation::removeKeyframe(double timeSeconds, int objectId) {
  ObjectTrack* track = object(objectId);
  if (track == nullptr || !track->removeKeyframe(timeSeconds)) {
    return false;
  }
  if (track->keyframes.empty()) {
    objects.erase(objects.begin() + (track - objects.data()));
  }
  return true;
}

std::optional<NormalizedBox> FailureAnnotation::boxAt(double timeSeconds, int objectId) const {
  const ObjectTrack* track = object(objectId);
  return track == nullptr ? std::nullopt : track->boxAt(timeSeconds, keyframesOnly);
}

const std::vector<BoxKeyframe>& FailureAnnotation::keyframes(int objectId) const {
  static const std::vector<BoxKeyframe> kNone;  // an object that does not exist has none
  const ObjectTrack* track = object(objectId);
  return track == nullptr ? kNone : track->keyframes;
}

size_t FailureAnnotation::keyframeCount() const {
  size_t count = 0;
  for (const ObjectTrack& o : objects) {
    count += o.keyframes.size();
  }
  return count;
}

std::vector<double> FailureAnnotation::keyframeTimes() const {
  std::vector<double> times;
  for (const ObjectTrack& o : objects) {
    for (const BoxKeyframe& k : o.keyframes) {
      times.push_back(k.timeSeconds);
    }
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end(),
                          [](double p, double q) { return q - p < kKeyframeMergeSeconds; }),
              times.end());
  return times;
}

std::vector<FailureAnnotation::ObjectBox> FailureAnnotation::boxesAt(double timeSeconds) const {
  std::vector<ObjectBox> out;
  for (const ObjectTrack& o : objects) {
    if (const std::optional<NormalizedBox> box = o.boxAt(timeSeconds, keyframesOnly)) {
      out.push_back({o.id, o.shape, o.label, *box});
    }
  }
  return out;
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
  if (keyframesOnly) {
    json["keyframes_only"] = true;
  }
  if (!importedFrom.empty()) {
    json["imported_from"] = importedFrom;
  }
  Json::Array list;
  for (const ObjectTrack& o : objects) {
    Json object;
    object["id"] = o.id;
    object["label"] = o.label;
    object["shape"] = objectShapeName(o.shape);
    Json::Array frames;
    for (const BoxKeyframe& k : o.keyframes) {
      Json frame;
      frame["t_s"] = k.timeSeconds;
      frame["box_xyxy"] = Json::Array{k.box.x0, k.box.y0, k.box.x1, k.box.y1};
      frames.push_back(frame);
    }
    object["keyframes"] = frames;
    list.push_back(object);
  }
  json["objects"] = list;
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
  a.keyframesOnly = json.boolOr("keyframes_only", false);
  a.importedFrom = json.stringOr("imported_from", "");
  const std::string where = "annotation " + std::to_string(a.id);
  if (json.contains("keyframes")) {  // version 1: one box track
    readKeyframes(json.at("keyframes"), where, &a.objects.emplace_back());
  }
  if (json.contains("objects")) {
    for (const Json& item : json.at("objects").asArray()) {
      ObjectTrack track;
      track.id = static_cast<int>(item.intAt("id", 1, kMaxObjectId));
      const std::string objectWhere = where + " object " + std::to_string(track.id);
      if (a.object(track.id) != nullptr) {
        throw JsonError(objectWhere + ": the id is used twice");
      }
      track.label = item.stringOr("label", "");
      const std::string shape = item.stringOr("shape", "box");
      if (shape != "box" && shape != "point") {
        throw JsonError(objectWhere + ": shape '" + shape + "' is neither box nor point");
      }
      track.shape = shape == "point" ? ObjectShape::Point : ObjectShape::Box;
      readKeyframes(item.at("keyframes"), objectWhere, &track);
      a.objects.push_back(std::move(track));
    }
  }
  return a;
}

bool FailureAnnotation::operator==(const FailureAnnotation& o) const {
  return id == o.id && startSeconds == o.startSeconds && endSeconds == o.endSeconds &&
         objects == o.objects && keyframesOnly == o.keyframesOnly &&
         importedFrom == o.importedFrom && tag == o.tag && customTag == o.customTag &&
         note == o.note && method == o.method && checkpoint == o.checkpoint &&
         condition == o.condition;
}

}  // namespace heardmap
