using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Core.Chat;

/// <summary>
/// Renders a run's card and hands it, with the new timeline events, to the chat channel of the run's origin.
/// A failing channel is logged and skipped: the run's state is already durable, and the next change re-renders the card.
/// </summary>
public sealed partial class RunPublisher : IRunPublisher
{
    private readonly Dictionary<string, IChatChannel> _channels;
    private readonly RecipeCatalog _recipes;
    private readonly ITimelineStore _timeline;
    private readonly ILogger<RunPublisher> _logger;

    /// <summary>Creates the publisher over the registered channels (one per platform).</summary>
    public RunPublisher(IEnumerable<IChatChannel> channels, RecipeCatalog recipes, ITimelineStore timeline, ILogger<RunPublisher> logger)
    {
        _channels = channels.ToDictionary(c => c.Platform, StringComparer.Ordinal);
        _recipes = recipes;
        _timeline = timeline;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task PublishAsync(Run run, IReadOnlyList<TimelineEvent> newEvents, CancellationToken cancellationToken)
    {
        if (!_channels.TryGetValue(run.Origin.Platform, out var channel) || _recipes.Find(run.RecipeId) is not { } recipe) return;
        try
        {
            var timeline = (await _timeline.ListAsync(run.Id, cancellationToken)).Where(e => e.Sequence < run.TimelineSequence).ToList();
            await channel.PublishAsync(new RunUpdate(run, RunCardBuilder.Build(run, recipe, timeline), newEvents), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(_logger, e, run.Id.Value, run.Origin.Platform);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish run {RunId} to {Platform}; the next change will re-render its card")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string runId, string platform);
}
