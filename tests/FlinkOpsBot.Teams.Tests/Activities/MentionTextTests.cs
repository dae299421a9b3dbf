using FlinkOpsBot.Teams.Activities;

namespace FlinkOpsBot.Teams.Tests.Activities;

/// <summary>Mention stripping as botbuilder's RemoveMentionText(recipient.id), with the oracles of chat-protocols.md §0 and §9.</summary>
public sealed class MentionTextTests
{
    private const string BotId = "28:bot";

    private static Entity Mention(string? text, string id = BotId, string name = "botname") => new(Entity.MentionType, text, new ChannelAccount(id, name));

    [Theory]
    [InlineData("<at>botname</at> sometext", "<at>botname</at>", "sometext")]
    [InlineData("<at>firstName</at> lastName\n", "<at>firstName</at>", "lastName")]
    [InlineData("<at>My Combined</at> https://foo.com \n", "<at>My Combined</at>", "https://foo.com")]
    [InlineData("<at>My Combined</at>1\n", "<at>My Combined</at>", "1")]
    [InlineData("<AT>BotName</AT> status", "<at>botname</at>", "status")]
    public void RemoveMention_BotMentioned_LeavesTheRest(string text, string mentionText, string expected) =>
        Assert.Equal(expected, MentionText.RemoveMention(text, [Mention(mentionText)], BotId));

    [Fact]
    public void RemoveMention_EntityWithoutText_RemovesAtName() =>
        Assert.Equal("runs", MentionText.RemoveMention("<at>botname</at> runs", [Mention(null)], BotId));

    [Fact]
    public void RemoveMention_NoEntity_OnlyTrims() =>
        Assert.Equal("<at>botname</at> sometext", MentionText.RemoveMention(" <at>botname</at> sometext\n", null, BotId));

    [Fact]
    public void RemoveMention_SomeoneElseMentioned_KeepsTheirMention() =>
        Assert.Equal("approve R-7Q2K <at>ana</at>",
            MentionText.RemoveMention("<at>botname</at> approve R-7Q2K <at>ana</at>", [Mention("<at>botname</at>"), Mention("<at>ana</at>", id: "29:ana", name: "ana")], BotId));

    [Fact]
    public void RemoveMention_MentionTextWithRegexCharacters_IsMatchedLiterally() =>
        Assert.Equal("status", MentionText.RemoveMention("<at>Flink (ops) bot+</at> status", [Mention("<at>Flink (ops) bot+</at>")], BotId));

    [Theory]
    [InlineData("/flink upgrade orders-enricher", "upgrade orders-enricher")]
    [InlineData("/FLINK   runs", "runs")]
    [InlineData("/flink", "")]
    [InlineData("/flinky runs", "/flinky runs")]
    [InlineData("upgrade x", "upgrade x")]
    public void RemoveCommandPrefix_OptionalSlashFlink_IsDropped(string text, string expected) =>
        Assert.Equal(expected, MentionText.RemoveCommandPrefix(text));
}
