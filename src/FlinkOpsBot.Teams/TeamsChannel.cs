using System.Globalization;
using System.Text;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using FlinkOpsBot.Teams.Activities;
using FlinkOpsBot.Teams.Cards;
using FlinkOpsBot.Teams.Connector;

namespace FlinkOpsBot.Teams;

/// <summary>
/// A run's card in Teams. The first update posts the shared Adaptive Card (no buttons; its <c>refresh</c> makes each
/// viewer's client fetch their own view) in the conversation the command came from (at the serviceUrl of the
/// conversation's latest verified activity, else the one the command came with), as a reply to the command's
/// thread when it had one, and remembers the card's activity id and serviceUrl (<see cref="IConversationStore"/>,
/// <c>Properties["serviceUrl"]</c>); later updates replace the card in place (Connector <c>PUT …/activities/{id}</c>).
/// The timeline events of one update go as one text reply to the card.
/// </summary>
internal sealed class TeamsChannel(ConnectorClient connector, ServiceUrls serviceUrls, IConversationStore conversations, IAdaptiveCardRenderer renderer) : IChatChannel
{
    public const string ServiceUrlProperty = "serviceUrl";

    public string Platform => TeamsIdentity.Platform;

    /// <exception cref="TeamsApiException">The Connector refused a call or kept failing, or no verified serviceUrl is known for the conversation.</exception>
    public async Task PublishAsync(RunUpdate update, CancellationToken cancellationToken)
    {
        var (run, card, newEvents) = update;
        // Every viewer's client refreshes (conversations up to 60 members); the refresh answers with their own view.
        var content = renderer.RenderShared(card, refreshUserIds: null);

        var location = await conversations.GetAsync(run.Id, Platform, cancellationToken);
        Uri serviceUrl;
        if (location is null)
        {
            var conversationId = run.Origin.ConversationId;
            serviceUrl = serviceUrls.ForConversation(conversationId) ?? OriginServiceUrl(run)
                ?? throw new TeamsApiException("POST card", 0, TeamsApiException.UntrustedServiceUrl,
                    $"no verified serviceUrl is known for the conversation of run {run.Id} (its request carried none, and none of its activities arrived since the bot started)");
            var cardActivity = OutboundActivity.AdaptiveCard(content);
            var activityId = run.Origin.ThreadId is { Length: > 0 } threadId
                ? await connector.ReplyToActivityAsync(serviceUrl, conversationId, threadId, cardActivity, cancellationToken)
                : await connector.SendToConversationAsync(serviceUrl, conversationId, cardActivity, cancellationToken);
            location = new CardLocation(run.Id, Platform, conversationId, activityId,
                new Dictionary<string, string> { [ServiceUrlProperty] = serviceUrl.AbsoluteUri });
            await conversations.SaveAsync(location, cancellationToken);
        }
        else
        {
            serviceUrl = StoredServiceUrl(location);
            await connector.UpdateActivityAsync(serviceUrl, location.ConversationId, location.MessageId, OutboundActivity.AdaptiveCard(content), cancellationToken);
        }

        if (newEvents.Count > 0)
        {
            await connector.ReplyToActivityAsync(serviceUrl, location.ConversationId, location.MessageId, OutboundActivity.Message(ThreadReply(newEvents)), cancellationToken);
        }
    }

    /// <summary>Timeline events as one message, one line each: <c>09:00:02 preconditions passed</c> (UTC).</summary>
    public static string ThreadReply(IReadOnlyList<TimelineEvent> events)
    {
        var text = new StringBuilder();
        foreach (var e in events)
        {
            if (text.Length > 0) text.Append("\n\n"); // a Markdown paragraph per event: Teams joins single line breaks
            text.Append(e.At.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)).Append(' ').Append(e.Text);
        }
        return text.ToString();
    }

    /// <summary>The serviceUrl the run's command arrived with: stored with the run from a verified activity, so trusted after a restart.</summary>
    private Uri? OriginServiceUrl(Run run)
    {
        if (ServiceUrls.Normalize(run.Origin.Endpoint) is not { } serviceUrl) return null;
        serviceUrls.Trust(serviceUrl);
        return serviceUrl;
    }

    /// <summary>The serviceUrl stored with the card: written only from a verified activity, so trusted again after a restart.</summary>
    private Uri StoredServiceUrl(CardLocation location)
    {
        if (!location.Properties.TryGetValue(ServiceUrlProperty, out var stored) || ServiceUrls.Normalize(stored) is not { } serviceUrl)
        {
            throw new TeamsApiException("PUT card", 0, TeamsApiException.UntrustedServiceUrl, $"the card of run {location.RunId} has no stored serviceUrl");
        }
        serviceUrls.Trust(serviceUrl);
        return serviceUrl;
    }
}
