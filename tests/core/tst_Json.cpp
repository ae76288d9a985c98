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
