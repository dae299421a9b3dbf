using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Teams.Cards;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Teams.Tests.Cards;

/// <summary>
/// Every rendering validates against the strict Adaptive Card 1.5 schema (after removing the Teams-only <c>msteams</c>).
/// About 45 validations in all: Json.NET Schema's free tier allows 1000 an hour.
/// </summary>
public class AdaptiveCardRendererSchemaTests
{
    private readonly AdaptiveCardRenderer _renderer = new();

    public static TheoryData<RunState> States => [.. Enum.GetValues<RunState>()];

    [Theory]
    [MemberData(nameof(States))]
    public void Render_EveryState_SharedAndViewerCardsMatchTheSchema(RunState state)
    {
        var card = TestRunCards.For(state);

        CardJson.AssertValid(_renderer.RenderShared(card, ["29:1a2b", "29:3c4d"]));
        CardJson.AssertValid(_renderer.RenderFor(card, new CardViewer(CanDecide: true)));
        CardJson.AssertValid(_renderer.RenderFor(card, new CardViewer(CanDecide: false, $"You requested {card.RunId}, so someone else must approve it.")));
    }

    [Fact]
    public void Render_HugeCard_MatchesTheSchema()
    {
        var card = HugeRunCards.Ascii(RunId.New());

        CardJson.AssertValid(_renderer.RenderShared(card, null));
        CardJson.AssertValid(_renderer.RenderFor(card, new CardViewer(true, "notice")));
    }

    [Fact]
    public void Render_MarkdownInEveryText_MatchesTheSchema()
    {
        var card = HugeRunCards.WithText(RunId.New(), "*a* _b_ [x](https://example.com) \\ <at>me</at> \"q\" 1. - +", count: 2);

        CardJson.AssertValid(_renderer.RenderFor(card, new CardViewer(true)));
    }

    [Fact]
    public void RenderShared_WithTheMsteamsKey_FailsTheStrictSchemaSoTestsStripIt()
    {
        var json = _renderer.RenderShared(TestRunCards.AwaitingApproval(RunId.New()), null).ToJsonString();

        Assert.Contains(JsonSchemaAssert.Errors(CardJson.SchemaFile, json), e => e.Contains("msteams", StringComparison.Ordinal));
    }
}
