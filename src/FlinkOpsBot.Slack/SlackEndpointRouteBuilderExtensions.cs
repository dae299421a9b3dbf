using FlinkOpsBot.Slack.Commands;
using FlinkOpsBot.Slack.Interactions;
using FlinkOpsBot.Slack.Verification;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace FlinkOpsBot.Slack;

/// <summary>Maps the Slack app's request URLs.</summary>
public static class SlackEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /slack/commands</c> (the <c>/flink</c> slash command's Request URL) and
    /// <c>POST /slack/interactions</c> (Interactivity's Request URL), as in <c>manifests/slack/manifest.json</c>. Every
    /// request must carry a valid Slack signature no older than 5 minutes (else 401, empty) and a form body (else 400);
    /// nothing reaches the command pipeline before that. Requires <see cref="SlackServiceCollectionExtensions.AddSlack"/>.
    /// </summary>
    /// <param name="app">The host's endpoint routes.</param>
    /// <returns>The <c>/slack</c> group, for host-wide conventions (rate limiting, metadata).</returns>
    public static RouteGroupBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/slack");
        group.AddEndpointFilter<SlackRequestFilter>();
        group.MapPost("/commands", ([FromServices] SlashCommandEndpoint endpoint, HttpContext http) => endpoint.HandleAsync(http));
        group.MapPost("/interactions", ([FromServices] InteractionEndpoint endpoint, HttpContext http) => endpoint.HandleAsync(http));
        return group;
    }
}
