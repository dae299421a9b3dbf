using FlinkOpsBot.Teams.Activities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace FlinkOpsBot.Teams;

/// <summary>Maps the bot's messaging endpoint.</summary>
public static class TeamsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /api/messages</c>, the Azure Bot resource's messaging endpoint. Every request must be a JSON activity
    /// of at most 1 MiB (else 400, 413 or 415) carrying a Bot Framework bearer token valid for the app, endorsed for the
    /// activity's <c>channelId</c> and naming its <c>serviceUrl</c> (else 401, empty); nothing reaches the command pipeline
    /// before that. Commands and <c>Action.Submit</c> clicks are answered 200 at once and handled in the background;
    /// <c>adaptiveCard/action</c> invokes are answered with the clicker's card (<c>{"statusCode":200,"type":
    /// "application/vnd.microsoft.card.adaptive","value":{…}}</c>). Requires <see cref="TeamsServiceCollectionExtensions.AddTeams"/>.
    /// </summary>
    /// <param name="app">The host's endpoint routes.</param>
    /// <returns>The <c>/api</c> group, for host-wide conventions (rate limiting, metadata).</returns>
    public static RouteGroupBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api");
        group.MapPost("/messages", ([FromServices] MessagesEndpoint endpoint, HttpContext http) => endpoint.HandleAsync(http));
        return group;
    }
}
