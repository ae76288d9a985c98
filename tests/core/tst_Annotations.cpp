// Failure annotations (keyframe interpolation, native JSON with backup recovery, COCO / CSV
// export) and the negative-audio probes, checked against values worked out by hand.
#include <QtTest>
#include <cmath>

#include "core/AtomicFile.h"
#include "core/AudioCondition.h"
#include "core/annotate/AnnotationDocument.h"
#include "core/annotate/CocoImport.h"

using namespace heardmap;

class TestAnnotations : public QObject {
  Q_OBJECT

  static FailureAnnotation sample() {
    FailureAnnotation a;
    a.startSeconds = 1.0;
    a.endSeconds = 3.0;
    a.tag = FailureTag::WrongObject;
    a.note = "dog barks, \"cat\" lit up, twice";
    a.method = "ezvsl compact";
    a.checkpoint = "/models/ezvsl.safetensors";
    a.condition = AudioCondition::WhiteNoise;
    a.setKeyframe(2.0, {0.6, 0.6, 1.0, 1.0});
    a.setKeyframe(1.0, {0.0, 0.0, 0.4, 0.2});
    return a;
  }

 private Q_SLOTS:
  void boxesInterpolateBetweenKeyframes() {
    const FailureAnnotation a = sample();
    QCOMPARE(a.keyframes().size(), size_t{2});
    QCOMPARE(a.keyframes().front().timeSeconds, 1.0);  // kept sorted
    // Halfway: (0 + 0.6) / 2 = 0.3, (0 + 0.6) / 2 = 0.3, (0.4 + 1) / 2 = 0.7, (0.2 + 1) / 2 = 0.6.
    const NormalizedBox mid = *a.boxAt(1.5);
    QVERIFY(std::abs(mid.x0 - 0.3) < 1e-12 && std::abs(mid.y0 - 0.3) < 1e-12);
    QVERIFY(std::abs(mid.x1 - 0.7) < 1e-12 && std::abs(mid.y1 - 0.6) < 1e-12);
    // A quarter of the way: x1 = 0.4 + 0.25 * 0.6 = 0.55.
    QVERIFY(std::abs(a.boxAt(1.25)->x1 - 0.55) < 1e-12);
    // Held before the first and after the last keyframe.
    QVERIFY(*a.boxAt(0.2) == a.keyframes().front().box);
    QVERIFY(*a.boxAt(2.9) == a.keyframes().back().box);
    QVERIFY(!FailureAnnotation{}.boxAt(1.0).has_value());

    // A keyframe within 1/60 s replaces the old one; corners are sorted and clipped.
    FailureAnnotation b = sample();
    b.setKeyframe(2.01, {1.2, 0.9, 0.5, -0.1});
    QCOMPARE(b.keyframes().size(), size_t{2});
    QVERIFY((b.keyframes().back().box == NormalizedBox{0.5, 0.0, 1.0, 0.9}));
    QVERIFY(b.removeKeyframe(1.005));
    QVERIFY(!b.removeKeyframe(1.5));
    QCOMPARE(b.keyframes().size(), size_t{1});
  }

  void documentRoundTripsAndKeepsIds() {
    AnnotationDocument doc;
    doc.clipPath = "/clips/dog.mp4";
    doc.clipDurationSeconds = 12.5;
    doc.frameWidth = 640;
    doc.frameHeight = 360;
    QCOMPARE(doc.add(sample()), 1);
    FailureAnnotation custom = sample();
    custom.tag = FailureTag::Custom;
    custom.customTag = "echo";
    custom.objects.clear();
    QCOMPARE(doc.add(custom), 2);
    QVERIFY(doc.remove(1));
    QCOMPARE(doc.add(sample()), 3);  // ids are never reused
    const AnnotationDocument back = AnnotationDocument::fromJson(Json::parse(doc.toJson().dump()));
    QVERIFY(back == doc);
    QCOMPARE(back.find(2)->tagText(), std::string("echo"));
    AnnotationDocument again = back;
    QCOMPARE(again.add(sample()), 4);
    QCOMPARE(doc.at(2.5).size(), size_t{2});
    QCOMPARE(doc.at(3.5).size(), size_t{0});

    Json bad = doc.toJson();
    bad["annotations"].asArray()[0]["tag"] = "shrug";
    QVERIFY_THROWS_EXCEPTION(JsonError, AnnotationDocument::fromJson(bad));
    Json future = doc.toJson();
    future["version"] = 99;
    QVERIFY_THROWS_EXCEPTION(JsonError, AnnotationDocument::fromJson(future));
  }

  // Found by fuzz_annotations: numbers beyond an int (next_id 2.7e51) were cast as they were
  // (undefined behaviour); non-finite times and boxes were taken. Each is a JsonError naming the
  // field now.
  void outOfRangeNumbersAreRefusedByName_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("field");
    const QString head = R"({"format": "heardmap-annotations", "version": 1, )";
    const QString item =
        R"("annotations": [{"id": 1, "start_s": 1, "end_s": 2, "tag": "false-positive")";
    QTest::newRow("next_id") << head + item + R"(}], "next_id": 2.7e51})"
                             << "next_id";
    QTest::newRow("frame_width") << head + item + R"(}], "frame_width": -4})"
                                 << "frame_width";
    QTest::newRow("id")
        << head +
               R"("annotations": [{"id": 1e20, "start_s": 1, "end_s": 2, "tag": "false-positive"}]})"
        << "id";
    QTest::newRow("start_s")
        << head +
               R"("annotations": [{"id": 1, "start_s": 1e999, "end_s": 2, "tag": "false-positive"}]})"
        << "start_s";
  }

  void outOfRangeNumbersAreRefusedByName() {
    QFETCH(QString, text);
    QFETCH(QString, field);
    try {
      AnnotationDocument::fromJson(Json::parse(text.toStdString()));
      QFAIL("accepted");
    } catch (const JsonError& e) {
      QVERIFY2(QString(e.what()).contains("'" + field + "'"), e.what());
    }
  }

  void saveKeepsABackupAndRecoversFromIt() {
    QTemporaryDir dir;
    const std::string path =
        AnnotationDocument::sidecarPath(dir.filePath("clip.mp4").toStdString());
    QCOMPARE(path, dir.filePath("clip.mp4.heardmap.json").toStdString());
    AnnotationDocument doc;
    doc.clipPath = dir.filePath("clip.mp4").toStdString();
    doc.add(sample());
    doc.save(path);
    QVERIFY(!QFile::exists(QString::fromStdString(AnnotationDocument::backupPath(path))));
    const AnnotationDocument first = doc;
    doc.add(sample());
    doc.save(path);
    // The backup holds the previous version; the file the new one.
    QVERIFY(AnnotationDocument::load(AnnotationDocument::backupPath(path)) == first);
    QVERIFY(AnnotationDocument::load(path) == doc);

    // A damaged file (cut in half) falls back to the backup and says so.
    const std::string text = readFile(path);
    writeFileAtomically(path, text.substr(0, text.size() / 2));
    std::string recovered;
    QVERIFY(AnnotationDocument::load(path, &recovered) == first);
    QVERIFY(recovered.find(".bak") != std::string::npos);
    // Both damaged: a clear error.
    writeFileAtomically(AnnotationDocument::backupPath(path), "{");
    try {
      AnnotationDocument::load(path);
      QFAIL("loaded two damaged files");
    } catch (const JsonError& e) {
      QVERIFY(std::string(e.what()).find("backup") != std::string::npos);
    }
  }

  void exportsCocoAndCsv() {
    AnnotationDocument doc;
    doc.clipPath = "/clips/dog.mp4";
    doc.frameWidth = 640;
    doc.frameHeight = 360;
    doc.add(sample());
    FailureAnnotation noBoxes;
    noBoxes.startSeconds = 4.0;
    noBoxes.endSeconds = 5.0;
    noBoxes.tag = FailureTag::SilenceHallucination;
    noBoxes.condition = AudioCondition::Silence;
    doc.add(noBoxes);

    const Json coco = Json::parse(doc.toCocoJson());
    QCOMPARE(coco.at("images").asArray().size(), size_t{2});  // one per keyframe
    QCOMPARE(coco.at("categories").asArray().size(), allFailureTags().size());
    const Json::Array& annotations = coco.at("annotations").asArray();
    QCOMPARE(annotations.size(), size_t{2});
    // Keyframe 2: (0.6, 0.6)-(1, 1) of 640x360 = x 384, y 216, w 256, h 144.
    const Json::Array& bbox = annotations[1].at("bbox").asArray();
    QCOMPARE(bbox[0].asNumber(), 384.0);
    QCOMPARE(bbox[1].asNumber(), 216.0);
    QCOMPARE(bbox[2].asNumber(), 256.0);
    QCOMPARE(bbox[3].asNumber(), 144.0);
    QCOMPARE(annotations[1].at("area").asNumber(), 256.0 * 144.0);
    QCOMPARE(annotations[1].at("category_id").asInt(), int64_t{3});  // wrong-object
    QCOMPARE(annotations[1].at("track_id").asInt(), int64_t{1});
    QCOMPARE(annotations[1].at("attributes").at("audio_condition").asString(),
             std::string("white-noise"));
    QCOMPARE(coco.at("images").asArray()[1].at("file_name").asString(),
             std::string("dog.mp4@2.0000s"));
    QCOMPARE(coco.at("segments").asArray().size(), size_t{2});  // boxless records too

    const std::string csv = doc.toCsv();
    const QStringList lines = QString::fromStdString(csv).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QString("id,clip,start_s,end_s,tag,note,method,checkpoint,audio_condition,"
                               "keyframes,object,object_label,shape"));
    // Quotes are doubled and the field quoted because it holds a comma.
    QVERIFY(lines[1].contains("\"dog barks, \"\"cat\"\" lit up, twice\""));
    QVERIFY(
        lines[1].contains("1.0000:0.0000 0.0000 0.4000 0.2000|2.0000:0.6000 0.6000 1.0000 "
                          "1.0000"));
    QVERIFY(
        lines[2].startsWith("2,/clips/dog.mp4,4.0000,5.0000,silence-hallucination,,,,silence,"));
    // The same spelling as the JSON's "tag" and the COCO categories' names (issue 19 item 4).
    QVERIFY(coco.at("categories").asArray()[2].at("name").asString() == "wrong-object" &&
            lines[1].contains(",wrong-object,"));
  }

  // Issue 19 item 5: several objects per record, each its own track, and points.
  void objectsAreTracksOfTheirOwn() {
    FailureAnnotation a = sample();  // object 1: boxes at 1 s and 2 s
    ObjectTrack& dog = a.addObject(ObjectShape::Box, "dog");
    QCOMPARE(dog.id, 2);
    a.setKeyframe(1.0, {0.5, 0.5, 0.7, 0.7}, 2);
    a.setKeyframe(3.0, {0.1, 0.5, 0.3, 0.7}, 2);
    ObjectTrack& mouth = a.addObject(ObjectShape::Point, "mouth");
    a.setKeyframe(2.0, {0.4, 0.3, 0.9, 0.9}, mouth.id);  // a point keeps its first corner
    QCOMPARE(a.keyframes(3).front().box, (NormalizedBox{0.4, 0.3, 0.4, 0.3}));
    // At 2 s: object 1 at its keyframe, object 2 halfway (x0 0.5 -> 0.1: 0.3), the point.
    const std::vector<FailureAnnotation::ObjectBox> at2 = a.boxesAt(2.0);
    QCOMPARE(at2.size(), size_t{3});
    QCOMPARE(at2[0].box, (NormalizedBox{0.6, 0.6, 1.0, 1.0}));
    QVERIFY(std::abs(at2[1].box.x0 - 0.3) < 1e-12 && at2[1].label == "dog");
    QCOMPARE(at2[2].shape, ObjectShape::Point);
    QCOMPARE(a.keyframeCount(), size_t{5});
    QCOMPARE(a.keyframeTimes(), (std::vector<double>{1.0, 2.0, 3.0}));
    // Removing an object's last keyframe removes the object; the others stay.
    QVERIFY(a.removeKeyframe(2.0, 3));
    QVERIFY(a.object(3) == nullptr && a.objects.size() == 2);
    QVERIFY(!a.removeKeyframe(2.0, 7));

    // Imported labels exist at their frames only: not interpolated, not held.
    FailureAnnotation labels = a;
    labels.keyframesOnly = true;
    QCOMPARE(labels.boxesAt(1.5).size(), size_t{0});
    QCOMPARE(labels.boxesAt(3.0).size(), size_t{1});
    QCOMPARE(labels.boxesAt(1.0).size(), size_t{2});

    // The native file keeps everything; a version-1 file's "keyframes" are object 1.
    AnnotationDocument doc;
    doc.add(a);
    doc.add(labels);
    const AnnotationDocument back = AnnotationDocument::fromJson(Json::parse(doc.toJson().dump()));
    QVERIFY(back == doc);
    QCOMPARE(back.items()[1].keyframesOnly, true);
    const Json v1 =
        Json::parse(R"({"format": "heardmap-annotations", "version": 1, "annotations": [{"id": 1, )"
                    R"("start_s": 0, "end_s": 2, "tag": "wrong-object", "keyframes": [{"t_s": 1, )"
                    R"("box_xyxy": [0.1, 0.2, 0.3, 0.4]}]}]})");
    const AnnotationDocument old = AnnotationDocument::fromJson(v1);
    QCOMPARE(old.items()[0].objects.size(), size_t{1});
    QCOMPARE(old.items()[0].boxAt(1.0, 1), (NormalizedBox{0.1, 0.2, 0.3, 0.4}));
    // Two objects with one id, or a shape that is neither, are refused by name.
    Json twice = doc.toJson();
    Json::Array& objects = twice["annotations"].asArray()[0]["objects"].asArray();
    objects[1]["id"] = 1;
    QVERIFY_THROWS_EXCEPTION(JsonError, AnnotationDocument::fromJson(twice));
    Json shape = doc.toJson();
    shape["annotations"].asArray()[0]["objects"].asArray()[0]["shape"] = "blob";
    try {
      AnnotationDocument::fromJson(shape);
      QFAIL("accepted a blob");
    } catch (const JsonError& e) {
      QVERIFY2(
          std::string(e.what()).find("annotation 1 object 1: shape 'blob'") != std::string::npos,
          e.what());
    }
  }

  // Objects at one time share one COCO image; each object is its own track; a point is a
  // keypoint. The CSV has a row per object.
  void cocoAndCsvCarryEveryObject() {
    AnnotationDocument doc;
    doc.clipPath = "/clips/dog.mp4";
    doc.frameWidth = 200;
    doc.frameHeight = 100;
    FailureAnnotation a = sample();
    a.setKeyframe(2.0, {0.5, 0.5, 0.5, 0.5}, a.addObject(ObjectShape::Point, "bark").id);
    doc.add(a);
    const Json coco = Json::parse(doc.toCocoJson());
    QCOMPARE(coco.at("images").asArray().size(), size_t{2});  // 1 s and 2 s
    const Json::Array& annotations = coco.at("annotations").asArray();
    QCOMPARE(annotations.size(), size_t{3});
    const Json& point = annotations[2];
    QCOMPARE(point.at("image_id").asInt(), annotations[1].at("image_id").asInt());
    QCOMPARE(point.at("track_id").asInt(), int64_t{2});
    QCOMPARE(point.at("keypoints").asArray()[0].asNumber(), 100.0);  // 0.5 of 200 px
    QCOMPARE(point.at("keypoints").asArray()[1].asNumber(), 50.0);
    QCOMPARE(point.at("attributes").at("label").asString(), std::string("bark"));
    const QStringList lines = QString::fromStdString(doc.toCsv()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[1].endsWith(",1,,box") && lines[2].endsWith(",2,bark,point"));

    // Re-importing the export gives the same boxes at the same frames.
    CocoImportOptions options;
    options.sourceName = "dog.coco.json";
    const FailureAnnotation back = annotationFromCoco(coco, options);
    QCOMPARE(back.objects.size(), size_t{2});
    QCOMPARE(back.objects[0].label, std::string());
    QCOMPARE(back.objects[1].shape, ObjectShape::Point);
    for (double t : {1.0, 2.0}) {
      const NormalizedBox want = *a.boxAt(t, 1);
      const NormalizedBox got = *back.boxAt(t, 1);
      QVERIFY(std::abs(want.x0 - got.x0) < 1e-9 && std::abs(want.y1 - got.y1) < 1e-9);
    }
    QCOMPARE(back.boxAt(2.0, 2)->x0, 0.5);
    QVERIFY(back.keyframesOnly && back.startSeconds == 1.0 && back.endSeconds == 2.0);
  }

  // A CVAT "COCO 1.0" export of a video: frames as images named by frame number, no time, no
  // tracks; two dogs in frame 25 are two objects.
  void importsCvatStyleCoco() {
    const Json coco = Json::parse(R"({
      "categories": [{"id": 1, "name": "dog"}, {"id": 2, "name": "person"}],
      "images": [{"id": 7, "file_name": "frame_000025.PNG", "width": 400, "height": 200},
                 {"id": 8, "file_name": "frame_000050.PNG", "width": 400, "height": 200}],
      "annotations": [
        {"id": 1, "image_id": 7, "category_id": 1, "bbox": [40, 20, 80, 40]},
        {"id": 2, "image_id": 7, "category_id": 1, "bbox": [200, 100, 40, 40]},
        {"id": 3, "image_id": 8, "category_id": 2, "bbox": [0, 0, 400, 200]},
        {"id": 4, "image_id": 8, "category_id": 1, "bbox": [44, 20, 80, 40]}]})");
    CocoImportOptions options;
    options.framesPerSecond = 25.0;
    options.sourceName = "/labels/cvat.json";
    const FailureAnnotation labels = annotationFromCoco(coco, options);
    QCOMPARE(labels.objects.size(), size_t{3});  // dog #0, dog #1, person #0
    QCOMPARE(labels.keyframeTimes(), (std::vector<double>{1.0, 2.0}));
    QCOMPARE(labels.boxesAt(1.0).size(), size_t{2});
    QCOMPARE(labels.boxAt(1.0, 1), (NormalizedBox{0.1, 0.1, 0.3, 0.3}));
    QCOMPARE(labels.boxAt(2.0, 1)->x0, 0.11);  // the first dog again, by order in the frame
    QCOMPARE(labels.object(3)->label, std::string("person"));
    QVERIFY(labels.note.find("4 labels of 3 objects in 2 frames from cvat.json") !=
            std::string::npos);
  }

  void importErrorsNameTheFileAndField_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("fps");
    QTest::addColumn<QString>("where");
    const QString image =
        R"("images": [{"id": 1, "file_name": "f_0003.jpg", "width": 10, "height": 10}])";
    QTest::newRow("not coco") << R"({"annotations": []})" << 25.0 << "not a COCO file";
    QTest::newRow("no frame rate")
        << "{" + image + R"(, "annotations": []})" << 0.0 << "images[0]: file_name 'f_0003.jpg'";
    QTest::newRow("unknown image")
        << "{" + image + R"(, "annotations": [{"image_id": 1, "bbox": [1, 1, 2, 2]},
                                                 {"image_id": 9, "bbox": [1, 1, 2, 2]}]})"
        << 25.0 << "annotations[1]: image_id 9";
    QTest::newRow("negative size")
        << "{" + image + R"(, "annotations": [{"image_id": 1, "bbox": [1, 1, -2, 2]}]})" << 25.0
        << "annotations[0]: bbox: negative";
    QTest::newRow("three numbers")
        << "{" + image + R"(, "annotations": [{"image_id": 1, "bbox": [1, 1, 2]}]})" << 25.0
        << "annotations[0]: bbox: needs 4";
    QTest::newRow("nothing") << "{" + image + R"(, "annotations": []})" << 25.0
                             << "no boxes or points";
  }

  void importErrorsNameTheFileAndField() {
    QFETCH(QString, text);
    QFETCH(double, fps);
    QFETCH(QString, where);
    CocoImportOptions options;
    options.framesPerSecond = fps;
    options.sourceName = "labels.json";
    try {
      annotationFromCoco(Json::parse(text.toStdString()), options);
      QFAIL("accepted");
    } catch (const JsonError& e) {
      QVERIFY2(QString(e.what()).startsWith("labels.json: ") && QString(e.what()).contains(where),
               e.what());
    }
  }

  void probesReplaceTheAudio() {
    std::vector<float> real(48000);
    std::vector<float> other(48000);
    for (size_t i = 0; i < real.size(); ++i) {
      real[i] = std::sin(0.01f * static_cast<float>(i));
      other[i] = 0.25f;
    }
    QCOMPARE(applyAudioCondition(AudioCondition::Real, real, {}, 1), real);
    const std::vector<float> silence = applyAudioCondition(AudioCondition::Silence, real, {}, 1);
    QVERIFY(std::all_of(silence.begin(), silence.end(), [](float v) { return v == 0.0f; }));
    QCOMPARE(applyAudioCondition(AudioCondition::OffScreen, real, other, 1), other);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             applyAudioCondition(AudioCondition::OffScreen, real, {}, 1));
    const auto rms = [](const std::vector<float>& v) {
      double s = 0.0;
      for (float x : v) {
        s += static_cast<double>(x) * x;
      }
      return std::sqrt(s / static_cast<double>(v.size()));
    };
    const std::vector<float> noise = applyAudioCondition(AudioCondition::WhiteNoise, real, {}, 7);
    QVERIFY(std::abs(rms(noise) - kWhiteNoiseRms) < 0.002);  // 48,000 draws: ~0.3 % error
    QCOMPARE(applyAudioCondition(AudioCondition::WhiteNoise, real, {}, 7), noise);  // seeded
    QVERIFY(applyAudioCondition(AudioCondition::WhiteNoise, real, {}, 8) != noise);
    const std::vector<float> muted = applyAudioCondition(AudioCondition::MutedMic, real, {}, 7);
    QVERIFY(std::abs(rms(muted) - kMutedMicRms) < 0.00002);
    for (AudioCondition c : allAudioConditions()) {
      QCOMPARE(audioConditionFromName(audioConditionName(c)), c);
    }
    QCOMPARE(audioConditionFromName("loud"), AudioCondition::Invalid);
  }
};

QTEST_APPLESS_MAIN(TestAnnotations)
#include "tst_Annotations.moc"
