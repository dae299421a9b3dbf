using FlinkOpsBot.Teams.Cards;

namespace FlinkOpsBot.Teams.Tests.Cards;

public class CardTextTests
{
    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("exactly10!", 10, "exactly10!")]
    [InlineData("abcdefghijk", 10, "abcdefghi…")]
    public void Truncate_Text_CutsWithAnEllipsisAtTheLimit(string text, int max, string expected) =>
        Assert.Equal(expected, CardText.Truncate(text, max));

    [Fact]
    public void Truncate_AtASurrogatePair_DoesNotSplitIt()
    {
        var cut = CardText.Truncate("ab🔥🔥🔥", 4);

        Assert.Equal("ab…", cut);
    }

    [Fact]
    public void Cap_TooManyItems_KeepsImportantOnesInOrderAndCountsTheRest()
    {
        var (kept, omitted) = CardText.Cap([1, 2, 3, 4, 5, 6, 7, 8], 3, i => i is 7 or 8);

        Assert.Equal([1, 7, 8], kept);
        Assert.Equal(5, omitted);
    }

    [Fact]
    public void Cap_FewItems_KeepsAll()
    {
        var (kept, omitted) = CardText.Cap(["a", "b"], 3);

        Assert.Equal(["a", "b"], kept);
        Assert.Equal(0, omitted);
    }

    [Theory]
    [InlineData("plain text 2.4.0", "plain text 2.4.0")]
    [InlineData("**bold** _it_", @"\*\*bold\*\* \_it\_")]
    [InlineData("[x](https://e.example)", @"\[x\](https://e.example)")]
    [InlineData(@"C:\jobs", @"C:\\jobs")]
    [InlineData("- item", @"\- item")]
    [InlineData("+ item", @"\+ item")]
    [InlineData("12. item", @"12\. item")]
    [InlineData("a\n3. b", "a\n3\\. b")]
    [InlineData("v1. x", "v1. x")]
    public void EscapeMarkdown_Text_NeutralisesTheAdaptiveCardMarkdownSubset(string text, string expected) =>
        Assert.Equal(expected, CardText.EscapeMarkdown(text));
}
