#include <QtTest>

#include "core/Json.h"

using heardmap::Json;
using heardmap::JsonError;

class TestJson : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void parsesNestedValues() {
    const Json j =
        Json::parse(R"({"a": [1, 2.5, -3e2], "b": {"c": "x\ny\u00e9"}, "d": true, "e": null})");
    QCOMPARE(j.at("a").asArray().size(), size_t(3));
    QCOMPARE(j.at("a").asArray()[1].asNumber(), 2.5);
    QCOMPARE(j.at("a").asArray()[2].asNumber(), -300.0);
    QCOMPARE(QString::fromStdString(j.at("b").at("c").asString()),
             QString::fromUtf8("x\ny\xc3\xa9"));
    QVERIFY(j.at("d").asBool());
    QVERIFY(j.at("e").isNull());
  }

  void roundTripsThroughDump() {
    Json j(Json::Object{});
    j["name"] = Json("tab\there \"quoted\"");
    j["n"] = Json(42);
    j["f"] = Json(0.03);
    j["list"] = Json(Json::Array{Json(1), Json("two"), Json(false)});
    const Json back = Json::parse(j.dump());
    QCOMPARE(back.dump(), j.dump());
    QCOMPARE(back.at("f").asNumber(), 0.03);
    QCOMPARE(Json::parse(j.dump(2)).dump(), j.dump());
  }

  void rejectsMalformedText_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << "";
    QTest::newRow("unterminated object") << "{\"a\": 1";
    QTest::newRow("trailing comma") << "[1, 2,]";
    QTest::newRow("bare word") << "nope";
    QTest::newRow("unterminated string") << "\"abc";
    QTest::newRow("bad escape") << "\"\\q\"";
    QTest::newRow("duplicate key") << "{\"a\": 1, \"a\": 2}";
    QTest::newRow("trailing garbage") << "{} x";
    QTest::newRow("lone surrogate") << "\"\\ud800\"";
    QTest::newRow("too deep") << QString(100, '[') + QString(100, ']');
  }

  void rejectsMalformedText() {
    QFETCH(QString, text);
    QVERIFY_THROWS_EXCEPTION(JsonError, Json::parse(text.toStdString()));
  }

  void rejectsMalformedUtf8() {
    // Overlong '/', a surrogate, past U+10FFFF, a stray continuation byte, a cut sequence.
    for (const std::string bad : {"\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"",
                                  "\"a\x8bt\"", "\"\xe2\x82\""}) {
      try {
        Json::parse(bad);
        QFAIL(("accepted " + bad).c_str());
      } catch (const JsonError& e) {
        QVERIFY2(QString(e.what()).contains("invalid UTF-8"), e.what());
      }
    }
    // What the fuzzer found: keys that differ only in a malformed byte and in the U+FFFD that
    // the writer would put in its place; the writer's output had a duplicate key.
    QVERIFY_THROWS_EXCEPTION(JsonError, Json::parse("{\"var\xef\xbf\xbdt\":1,\"var\x8bt\":2}"));
    // Well-formed multi-byte text passes through unchanged.
    const std::string text = "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x8e\xa7\"";
    QCOMPARE(Json::parse(text).dump(), text);
  }

  void errorsSayWhereAndWhy() {
    try {
      Json::parse("{\"a\": [1, 2}");
      QFAIL("no exception");
    } catch (const JsonError& e) {
      QVERIFY2(QString(e.what()).startsWith("JSON: "), e.what());
      QVERIFY2(QString(e.what()).endsWith("at byte 11"), e.what());
    }
    try {
      Json::parse("{\"a\": 1, \"a\": 2}");
      QFAIL("no exception");
    } catch (const JsonError& e) {
      QVERIFY2(QString(e.what()).contains("duplicate key \"a\""), e.what());
    }
    // A value the library cannot hold is named by its key, or by the array it sits in.
    try {
      Json::parse("{\"a\": {\"b\": 1e999}}");
      QFAIL("no exception");
    } catch (const JsonError& e) {
      QVERIFY2(QString(e.what()).contains("the value of 'b'"), e.what());
    }
    try {
      Json::parse("{\"s\": [0.5, 1e999]}");
      QFAIL("no exception");
    } catch (const JsonError& e) {
      QVERIFY2(QString(e.what()).contains("an item of 's'"), e.what());
    }
    // The depth limit is 64 containers: 64 parse, 65 do not.
    QCOMPARE(Json::parse(std::string(64, '[') + std::string(64, ']')).type(), Json::Type::Array);
    QVERIFY_THROWS_EXCEPTION(JsonError, Json::parse(std::string(65, '[') + std::string(65, ']')));
  }

  void writesWholeNumbersAsIntegersAndNanAsNull() {
    Json j(Json::Object{});
    j["whole"] = Json(3.0);
    j["big"] = Json(1e20);
    j["nan"] = Json(std::nan(""));
    j["bytes"] = Json(std::string("a\x8b"));  // not UTF-8: written as U+FFFD
    QCOMPARE(j.dump(), std::string("{\"big\":1e+20,\"bytes\":\"a\xef\xbf\xbd\",\"nan\":null,"
                                   "\"whole\":3}"));
  }

  void typeErrorsNameTheMismatch() {
    const Json j = Json::parse("{\"a\": \"text\"}");
    try {
      j.at("a").asNumber();
      QFAIL("no exception");
    } catch (const JsonError& e) {
      QVERIFY(QString(e.what()).contains("expected number, got string"));
    }
    QVERIFY_THROWS_EXCEPTION(JsonError, j.at("missing"));
    QVERIFY_THROWS_EXCEPTION(JsonError, Json::parse("1.5").asInt());
  }
};

QTEST_APPLESS_MAIN(TestJson)
#include "tst_Json.moc"
