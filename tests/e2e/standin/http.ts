/** The one HTTP response reader of the e2e tier (the stand-in's API client and the harness's). */
import * as http from "http";

/** Reads a whole response: its status and its body, parsed as JSON when it is JSON, else text. */
export function readResponse(res: http.IncomingMessage): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("error", reject);
        res.on("end", () => {
            let body: any = text;
            try {
                body = JSON.parse(text);
            } catch {
                /* keep text */
            }
            resolve({ status: res.statusCode ?? 0, body });
        });
    });
}
