using FlinkOpsBot.Slack.Rendering;

namespace FlinkOpsBot.Slack.Tests.Rendering;

public class MrkdwnTests
{
    [Theory]
    [InlineData("lag < 5 s & p99 > 2 s", "lag &lt; 5 s &amp; p99 &gt; 2 s")]
    [InlineData("approved by <@U024BE7LH> and <@W0ENTERPRISE1>", "approved by <@U024BE7LH> and <@W0ENTERPRISE1>")]
    [InlineData("<!channel> <#C0INCIDENT> <https://evil.example|click>", "&lt;!channel&gt; &lt;#C0INCIDENT&gt; &lt;https://evil.example|click&gt;")]
    [InlineData("<@u024be7lh> is not a mention", "&lt;@u024be7lh&gt; is not a mention")]
    [InlineData("already &amp; escaped", "already &amp;amp; escaped")]
    [InlineData("`code` *bold* _it_", "`code` *bold* _it_")]
    public void Escape_Text_EscapesControlCharactersButKeepsUserMentions(string text, string expected)
    {
        Assert.Equal(expected, Mrkdwn.Escape(text));
    }

    [Fact]
    public void Truncate_FitsAlready_Unchanged()
    {
        Assert.Equal("exactly ten", Mrkdwn.Truncate("exactly ten", 11));
    }

    [Fact]
    public void Truncate_TooLong_EndsWithAnEllipsisAtTheLimit()
    {
        Assert.Equal("abcdefghi…", Mrkdwn.Truncate("abcdefghijklmnop", 10));
    }

    [Theory]
    [InlineData("abcdef&amp;ghij", 11, "abcdef…")] // the cut would leave "&amp"
    [InlineData("abc<@U024BE7LH>xyz", 12, "abc…")] // the cut would leave "<@U024BE7"
    [InlineData("a&lt;b&gt;cdefghij", 11, "a&lt;b&gt;…")] // complete escapes before the cut stay
    public void Truncate_CutInsideAnEscapeOrMention_BacksOffToBeforeIt(string escaped, int max, string expected)
    {
        Assert.Equal(expected, Mrkdwn.Truncate(escaped, max));
    }

    [Fact]
    public void TruncatePlain_CutInsideASurrogatePair_KeepsThePairWhole()
    {
        Assert.Equal("abc…", Mrkdwn.TruncatePlain("abc🚨defg", 5));
    }

    [Fact]
    public void TruncatePlain_AmpersandInPlainText_IsNotTreatedAsAnEscape()
    {
        Assert.Equal("R&D jo…", Mrkdwn.TruncatePlain("R&D jobs everywhere", 7));
    }
}
