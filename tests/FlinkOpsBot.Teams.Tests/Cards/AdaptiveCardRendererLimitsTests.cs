using System.Text;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Teams.Cards;

namespace FlinkOpsBot.Teams.Tests.Cards;

/// <summary>Size limits (28 KB), truncation and Markdown safety of dynamic text.</summary>
public class AdaptiveCardRendererLimitsTests
{
    private const int MaxBytes = 28 * 1024;
    private static readonly RunId RunId = RunId.Parse("R-7Q2K");
    private readonly AdaptiveCardRenderer _renderer = new();

    [Fact]
    public void Render_HugeAsciiCard_StaysUnder28KBAndSaysWhatItLeftOut()
    {
        var card = HugeRunCards.Ascii(RunId);

        foreach (var json in RenderAll(card))
        {
            Assert.InRange(Utf8Length(json), 1, MaxBytes);
            var text = CardJson.Text(json);
            Assert.Contains("…", text, StringComparison.Ordinal);
            Assert.Contains("more", text, StringComparison.Ordinal);
            Assert.Contains("earlier events", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_HugeEmojiCard_StaysUnder28KB()
    {
        foreach (var json in RenderAll(HugeRunCards.Emoji(RunId))) Assert.InRange(Utf8Length(json), 1, MaxBytes);
    }

    [Fact]
    public void Render_HugeCard_StillShowsButtonsAndHumanActions()
    {
        var json = _renderer.RenderFor(HugeRunCards.Ascii(RunId), new CardViewer(true));

        Assert.Single(CardJson.OfType(json, "ActionSet"));
        Assert.Contains("What a human must do now", CardJson.Text(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OrdinaryCard_IsNotTruncated()
    {
        var evidence = new string('e', 500);
        var card = TestRunCards.AwaitingApproval(RunId) with { Preconditions = [CheckResult.Pass("long", "Long", evidence)] };

        var json = _renderer.RenderShared(card, null);

        Assert.Contains(": " + evidence, CardJson.Text(json), StringComparison.Ordinal);
        Assert.InRange(Utf8Length(json), 1, 8 * 1024);
    }

    [Fact]
    public void Render_ManyChecks_KeepsTheFailuresAndCountsTheRest()
    {
        var checks = Enumerable.Range(1, 60).Select(i => i == 50 ? CheckResult.Fail("c50", "Check 50", "broken") : CheckResult.Pass($"c{i}", $"Check {i}", "ok")).ToList();
        var card = TestRunCards.AwaitingApproval(RunId) with { Preconditions = checks };

        var text = CardJson.Text(_renderer.RenderShared(card, null));

        Assert.Contains(": broken", text, StringComparison.Ordinal);
        Assert.Contains("+35 more", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LongTimeline_KeepsTheNewestLines()
    {
        var card = TestRunCards.AwaitingApproval(RunId) with { TimelineTail = [.. Enumerable.Range(1, 30).Select(i => $"event {i}")] };

        var text = CardJson.Text(_renderer.RenderShared(card, null));

        Assert.Contains("+20 earlier events\nevent 21", text, StringComparison.Ordinal);
        Assert.EndsWith("event 30", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MarkdownInEvidence_StaysPlainTextInATextRun()
    {
        const string evidence = "**not bold** _not italic_ [click](https://evil.example) 1. no list";
        var card = TestRunCards.AwaitingApproval(RunId) with { Preconditions = [CheckResult.Fail("md", "Title *x*", evidence)] };

        var json = _renderer.RenderShared(card, null);

        Assert.Contains(CardJson.OfType(json, "TextRun"), r => (string?)r["text"] == ": " + evidence);
        Assert.Contains(CardJson.OfType(json, "TextRun"), r => (string?)r["text"] == "Title *x*");
        Assert.DoesNotContain(CardJson.OfType(json, "TextBlock"), b => ((string)b["text"]!).Contains("evil", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_EveryDynamicText_NeverReachesATextBlock()
    {
        const string marker = "M4RK3R";
        var json = _renderer.RenderFor(HugeRunCards.WithText(RunId, marker, count: 2), new CardViewer(true, marker));

        Assert.All(CardJson.OfType(json, "TextBlock"), b => Assert.DoesNotContain(marker, (string)b["text"]!, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_MarkdownInFacts_IsEscapedBecauseFactSetsAreMarkdown()
    {
        var card = TestRunCards.AwaitingApproval(RunId) with { Facts = [new CardFact("Jar *new*", "orders_enricher-[2.4.0](https://evil.example).jar")] };

        var json = _renderer.RenderShared(card, null);

        var fact = Assert.Single(Assert.Single(CardJson.OfType(json, "FactSet"))["facts"]!.AsArray())!;
        Assert.Equal(@"Jar \*new\*", (string?)fact["title"]);
        Assert.Equal(@"orders\_enricher-\[2.4.0\](https://evil.example).jar", (string?)fact["value"]);
    }

    private IEnumerable<JsonObject> RenderAll(RunCard card) =>
    [
        _renderer.RenderShared(card, [.. Enumerable.Range(1, 60).Select(i => $"29:1{i:D3}abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")]),
        _renderer.RenderFor(card, new CardViewer(true, new string('n', 5000))),
        _renderer.RenderFor(card, new CardViewer(false)),
    ];

    private static int Utf8Length(JsonObject json) => Encoding.UTF8.GetByteCount(json.ToJsonString());
}
