using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Slack.Rendering;
using FlinkOpsBot.Slack.WebApi;

namespace FlinkOpsBot.Slack;

/// <summary>
/// A run's card in Slack: the first update posts it (<c>chat.postMessage</c>) in the channel the command came from and
/// remembers its <c>ts</c> (<see cref="IConversationStore"/>); later updates replace it in place (<c>chat.update</c>).
/// The timeline events of one update go as one reply in the card's thread.
/// </summary>
internal sealed class SlackChannel(SlackWebApiClient slack, IConversationStore conversations) : IChatChannel
{
    public const string PlatformName = "slack";

    private static readonly IReadOnlyDictionary<string, string> NoProperties = new Dictionary<string, string>();

    public string Platform => PlatformName;

    /// <exception cref="SlackApiException">Slack refused a call, or kept failing.</exception>
    public async Task PublishAsync(RunUpdate update, CancellationToken cancellationToken)
    {
        var (run, card, newEvents) = update;
        var blocks = BlockKitRenderer.Render(card);
        var text = BlockKitRenderer.FallbackText(card);

        var location = await conversations.GetAsync(run.Id, PlatformName, cancellationToken);
        if (location is null)
        {
            var posted = await slack.PostMessageAsync(new PostMessageRequest(run.Origin.ConversationId, text, blocks), cancellationToken);
            location = new CardLocation(run.Id, PlatformName, posted.Channel, posted.Ts, NoProperties);
            await conversations.SaveAsync(location, cancellationToken);
        }
        else
        {
            await slack.UpdateMessageAsync(new UpdateMessageRequest(location.ConversationId, location.MessageId, text, blocks), cancellationToken);
        }

        if (newEvents.Count > 0)
        {
            var reply = new PostMessageRequest(location.ConversationId, BlockKitRenderer.ThreadReply(newEvents), ThreadTs: location.MessageId);
            await slack.PostMessageAsync(reply, cancellationToken);
        }
    }
}
