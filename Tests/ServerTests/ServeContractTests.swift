import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The seed's HTTP and WebSocket contract, against the real server, cache and informers.
@Suite(.serialized) struct ServeContractTests {
    func names(_ pods: Any?) -> [String] {
        ((pods as? [[String: Any]]) ?? []).map { "\($0["namespace"]!)/\($0["name"]!)" }
    }

    /// The simulator's pods whose name contains a match, computed independently of the server.
    func expected(_ harness: Harness, _ pattern: String) throws -> [String] {
        let regex = try NSRegularExpression(pattern: pattern)
        return harness.simulator.podKeys.filter { key in
            let name = String(key.split(separator: "/")[1])
            return regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        }
    }

    @Test func patternChangeIsAnsweredFromTheCacheBeforeTheResponse() async throws {
        try await Harness.run { h in
            try await h.socket { ws in
                ws.send(["action": "subscribe", "channel": "pod"])
                _ = try await ws.next { $0.type == "awaitingPattern" }
                let before = ws.messages.count
                let (code, body) = try await h.post("api/set_pattern", #"{"pattern":"^(api|web)-"}"#, origin: h.origin)
                #expect(code == 200)
                let want = try expected(h, "^(api|web)-")
                #expect(body["matched"] as? Int == want.count)
                let pods = try await ws.next(after: before) { $0.type == "pods" }
                #expect(pods.data?["pattern"] as? String == "^(api|web)-")
                #expect(names(pods.data?["pods"]) == want)
                let (_, current, _) = try await h.get("api/current_pattern")
                #expect(current == #"{"pattern":"^(api|web)-"}"#)
            }
        }
    }

    @Test func invalidOrEmptyPatternGets400AndKeepsThePreviousOne() async throws {
        try await Harness.run(pattern: "^api-") { h in
            let (code, body) = try await h.post("api/set_pattern", #"{"pattern":"(unclosed"}"#)
            #expect(code == 400)
            #expect((body["error"] as? String)?.contains("missing closing parenthesis") == true)
            let (empty, _) = try await h.post("api/set_pattern", #"{"pattern":""}"#)
            #expect(empty == 400)
            let (_, current, _) = try await h.get("api/current_pattern")
            #expect(current == #"{"pattern":"^api-"}"#)
        }
    }

    @Test func pathologicalPatternNeverHangsTheServer() async throws {
        try await Harness.run { h in
            let start = ContinuousClock.now
            let (code, _) = try await h.post("api/set_pattern", #"{"pattern":"(a+)+$"}"#)
            // Either answered or refused with a reason; bounded either way.
            #expect(code == 200 || code == 400)
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test func resetPatternSendsAwaitingPattern() async throws {
        try await Harness.run(pattern: "^api-") { h in
            try await h.socket { ws in
                ws.send(["action": "subscribe", "channel": "pod"])
                _ = try await ws.next { $0.type == "pods" }
                let before = ws.messages.count
                let (code, _) = try await h.post("api/reset_pattern", "{}")
                #expect(code == 200)
                _ = try await ws.next(after: before) { $0.type == "awaitingPattern" }
            }
        }
    }

    @Test func focusIsPerClient() async throws {
        try await Harness.run(pattern: "-") { h in
            try await h.socket { a in
                try await h.socket { b in
                    a.send(["action": "subscribe", "channel": "pod"])
                    b.send(["action": "subscribe", "channel": "pod"])
                    let first = try await a.next { $0.type == "pods" }
                    _ = try await b.next { $0.type == "pods" }
                    let pod = ((first.data?["pods"] as? [[String: Any]]) ?? [])[0]
                    a.send(["action": "focus", "pod": pod["name"]!, "namespace": pod["namespace"]!])
                    let view = try await a.next { $0.type == "pod" }
                    #expect(view.data?["name"] as? String == pod["name"] as? String)
                    let focused = try await a.next { $0.type == "pods" && $0.data?["focus"] as? String == pod["name"] as? String }
                    #expect(focused.data?["focusNamespace"] as? String == pod["namespace"] as? String)
                    // B refreshes too but keeps no focus.
                    let before = b.messages.count
                    _ = try await h.post("api/set_pattern", #"{"pattern":"-"}"#)
                    let other = try await b.next(after: before) { $0.type == "pods" }
                    #expect(other.data?["focus"] is NSNull)
                    #expect(!b.messages.contains { $0.type == "pod" })
                }
            }
        }
    }

    @Test func aRestartInTheClusterReachesTheClient() async throws {
        try await Harness.run(pattern: "-") { h in
            try await h.socket { ws in
                ws.send(["action": "subscribe", "channel": "pod"])
                let first = try await ws.next { $0.type == "pods" }
                let rows = (first.data?["pods"] as? [[String: Any]]) ?? []
                let target = try #require(rows.first { $0["status"] as? String == "Running" && ($0["restarts"] as? Int) == 0 })
                let ns = target["namespace"] as! String, name = target["name"] as! String
                let before = ws.messages.count
                #expect(h.simulator.restartContainer(namespace: ns, name: name))
                let update = try await ws.next(after: before) { m in
                    m.type == "pods" && ((m.data?["pods"] as? [[String: Any]]) ?? []).contains {
                        $0["name"] as? String == name && $0["restarts"] as? Int == 1 && $0["status"] as? String == "CrashLoopBackOff"
                    }
                }
                #expect(update.data?["synced"] as? Bool == true)
            }
        }
    }

    @Test func apiServerGoneMarksTheTableStaleThenItRecoversWithWhatChangedMeanwhile() async throws {
        try await Harness.run(pattern: "-") { h in
            try await h.socket { ws in
                ws.send(["action": "subscribe", "channel": "pod"])
                let first = try await ws.next { $0.type == "pods" && $0.data?["stale"] as? Bool == false }
                let rows = (first.data?["pods"] as? [[String: Any]]) ?? []
                let target = try #require(rows.first { $0["status"] as? String == "Running" && ($0["restarts"] as? Int) == 0 })
                let ns = target["namespace"] as! String, name = target["name"] as! String

                var before = ws.messages.count
                await h.simulator.stopAccepting()
                // The cached table stays on screen, flagged stale, with the reason.
                let stale = try await ws.next(after: before, timeout: .seconds(30)) { $0.type == "pods" && $0.data?["stale"] as? Bool == true }
                #expect(((stale.data?["pods"] as? [[String: Any]]) ?? []).count == rows.count)
                let scope = stale.data?["scope"] as? [String: Any]
                #expect((scope?["message"] as? String)?.isEmpty == false)

                #expect(h.simulator.restartContainer(namespace: ns, name: name))
                before = ws.messages.count
                await h.simulator.startAccepting()
                let recovered = try await ws.next(after: before, timeout: .seconds(30)) { m in
                    m.type == "pods" && m.data?["stale"] as? Bool == false && ((m.data?["pods"] as? [[String: Any]]) ?? []).contains {
                        $0["name"] as? String == name && $0["restarts"] as? Int == 1
                    }
                }
                #expect(recovered.data?["synced"] as? Bool == true)
            }
        }
    }

    @Test func offLoopbackEveryRequestNeedsTheAccessTokenWhichThenLivesInACookie() async throws {
        let token = "t0k3n-for-this-test"
        try await Harness.run(pattern: "-", accessToken: token) { h in
            // Cookies are set by hand: this session neither stores nor sends any by itself.
            let configuration = URLSessionConfiguration.ephemeral
            configuration.httpShouldSetCookies = false
            configuration.httpCookieAcceptPolicy = .never
            let session = URLSession(configuration: configuration)
            func send(_ path: String, method: String = "GET", cookie: String? = nil, host: String? = nil,
                      body: String? = nil) async throws -> (Int, String, String?) {
                var request = URLRequest(url: URL(string: h.base.absoluteString + path)!)
                request.httpMethod = method
                if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
                if let host { request.setValue(host, forHTTPHeaderField: "Host") }
                request.httpBody = body.map { Data($0.utf8) }
                let (data, response) = try await session.data(for: request)
                let http = response as! HTTPURLResponse
                return (http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Set-Cookie"))
            }
            let (bare, refusal, _) = try await send("")
            #expect(bare == 403 && refusal.contains("access token"))
            #expect(try await send("?token=wrong").0 == 403)
            #expect(try await send("api/current_pattern").0 == 403)
            #expect(try await send("api/set_pattern", method: "POST", body: #"{"pattern":"x"}"#).0 == 403)

            let (opened, page, cookie) = try await send("?token=\(token)")
            #expect(opened == 200 && page.contains("<html"))
            let setCookie = try #require(cookie)
            #expect(setCookie.contains("kubeluma_token=\(token)") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            let (later, current, _) = try await send("api/current_pattern", cookie: "kubeluma_token=\(token)")
            #expect(later == 200 && current.contains("\"-\""))
            // Reached by a name this process cannot know (a colleague using the machine's
            // address): the token, not the Host check, decides.
            #expect(try await send("api/current_pattern", cookie: "kubeluma_token=\(token)", host: "build-box.example:8080").0 == 200)
            #expect(try await send("api/current_pattern", host: "build-box.example:8080").0 == 403)
        }
    }

    @Test func focusedPodGetsItsEventsEnvAndLogs() async throws {
        try await Harness.run(pattern: "-") { h in
            try await h.socket { ws in
                ws.send(["action": "subscribe", "channel": "pod"])
                let first = try await ws.next { $0.type == "pods" }
                let rows = (first.data?["pods"] as? [[String: Any]]) ?? []
                let target = try #require(rows.first { $0["status"] as? String == "Running" })
                let ns = target["namespace"] as! String, name = target["name"] as! String
                ws.send(["action": "focus", "pod": name, "namespace": ns])
                let view = try await ws.next { $0.type == "pod" }
                let containers = (view.data?["containers"] as? [[String: Any]]) ?? []
                let app = try #require(containers.first { $0["kind"] as? String == "app" })
                // Secret values are never read: the env shows the reference, masked.
                #expect(ws.texts.contains { $0.hasPrefix(#"{"type":"pod""#) && $0.contains(#"{"name":"DATABASE_PASSWORD","value":"*** (secret "#) })
                let events = try await ws.next { $0.type == "events" }
                #expect(((events.data?["events"] as? [Any]) ?? []).count >= 1)
                ws.send(["action": "subscribe", "channel": "logs", "pod": name, "namespace": ns,
                         "container": app["name"]!, "tailLines": 5])
                let logs = try await ws.next { $0.type == "log" }
                let lines = (logs["lines"] as? [String]) ?? [(logs["line"] as? String) ?? ""]
                #expect(!lines.isEmpty && lines.allSatisfy { !$0.isEmpty })
            }
        }
    }

    @Test func metricsAreDisabledWithoutAMetricsAPI() async throws {
        try await Harness.run(metrics: false, pattern: "-") { h in
            try await h.socket { ws in
                ws.send(["action": "subscribe", "channel": "pod"])
                let first = try await ws.next { $0.type == "pods" }
                let pod = ((first.data?["pods"] as? [[String: Any]]) ?? [])[0]
                ws.send(["action": "focus", "pod": pod["name"]!, "namespace": pod["namespace"]!])
                let metrics = try await ws.next { $0.type == "metrics" }
                #expect(metrics.data?["disabled"] as? Bool == true)
            }
        }
    }

    @Test func malformedFramesGetAnErrorAndTheConnectionStaysOpen() async throws {
        try await Harness.run(pattern: "^api-") { h in
            try await h.socket { ws in
                for frame in ["not json", "[1,2]", #"{"no":"action"}"#, #"{"action":"dance"}"#, #"{"action":"focus","pod":"no-such-pod"}"#] {
                    let before = ws.messages.count
                    ws.sendRaw(frame)
                    _ = try await ws.next(after: before) { $0.type == "error" }
                }
                ws.send(["action": "subscribe", "channel": "pod"])
                _ = try await ws.next { $0.type == "pods" }
            }
        }
    }

    @Test func foreignHostAndOriginAreRefused() async throws {
        try await Harness.run { h in
            let (host, _, _) = try await h.get("api/current_pattern", host: "attacker.example:80")
            #expect(host == 403)
            let (origin, _) = try await h.post("api/set_pattern", #"{"pattern":"x"}"#, origin: "http://attacker.example")
            #expect(origin == 403)
            let (_, _, headers) = try await h.get("")
            #expect(headers["content-security-policy"]?.contains("script-src 'self'") == true)
        }
    }
}

