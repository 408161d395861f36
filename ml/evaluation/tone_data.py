"""Labelled interview questions for the tone classifier: HR (behavioural) vs technical.

Hand-written for this project, across many occupations, in the resume-grounded style the
models are asked to produce. Deliberately mixed so surface words do not decide the label:
HR questions that name tools or say "technical" (conflict over a Kafka migration, motivation
on a long technical project) and technical questions outside software (dosage checks,
lesson design, ledger reconciliation, knife work) that name no tool at all.
"""

from __future__ import annotations

HR_QUESTIONS: tuple[str, ...] = (
    "What made you move from Acme Corp to a smaller startup in 2021?",
    "Tell me about a time you disagreed with your manager at Globex and how you resolved it.",
    "Why did you decide to leave nursing at St. Mary's Hospital for a teaching role?",
    "How do you stay motivated when a technical project drags on for months without visible results?",
    "Describe a conflict with a teammate during the Kafka migration and how you handled it.",
    "What do you enjoy most about mentoring junior developers at Initech?",
    "How would your former colleagues at Deloitte describe you?",
    "Tell me about a time you received difficult feedback on your lesson plans and what you did with it.",
    "Why are you interested in leaving retail banking for a role in a nonprofit?",
    "How did you handle the pressure of closing the books during your first year-end at KPMG?",
    "What was the hardest decision you made as a shift supervisor at the Riverside kitchen?",
    "Describe a time you had to explain a technical decision to non-technical stakeholders who were upset.",
    "What motivated you to go back to school for your MBA after six years in sales?",
    "Where do you see your career in five years, given your move from design into product management?",
    "Tell me about a time you failed to meet a deadline at Umbrella Health and what you learned.",
    "How do you build trust with a new team when you join as their manager?",
    "What kind of work environment helps you do your best work?",
    "Describe a situation where you had to persuade a reluctant colleague to adopt your plan.",
    "Why did you choose to specialise in pediatric care rather than emergency medicine?",
    "How did you feel when the Phoenix project you led was cancelled, and how did you tell your team?",
    "Tell me about a time you went beyond your job description to help a customer.",
    "What is a weakness you have been working on since your time at Contoso?",
    "How do you balance the demands of several clients who all think their case is urgent?",
    "Describe a time you had to work with someone whose style was very different from yours.",
    "What attracted you to marketing after studying chemistry at the University of Leeds?",
    "How do you respond when a parent is angry about their child's grades?",
    "Tell me about a time you had to deliver bad news to your team.",
    "Why did you stay at Wayne Enterprises for eight years, and what finally made you leave?",
    "How do you handle stress during the dinner rush when two cooks call in sick?",
    "What did you learn about leadership when you were promoted to team lead at Stripe?",
    "Describe a time you made a mistake with a client's account and how you owned up to it.",
    "How do you keep your team engaged during a long, repetitive audit season?",
    "What are you looking for in your next role that you did not have at Oracle?",
    "Tell me about a time you had to adapt quickly to a big organisational change.",
    "How do you prioritise your own development while working full time as a paralegal?",
    "Describe a time you stood up for a colleague who was being treated unfairly.",
    "Why did you volunteer to coordinate the hospital's onboarding programme for new nurses?",
    "How do you approach a difficult conversation with a senior partner at the firm?",
    "What accomplishment from your time at Shopify are you proudest of, and why?",
    "Tell me about a gap in your resume between 2019 and 2020.",
    "How did you handle being the only woman engineer on your team at Siemens?",
    "What would your manager at Zara say is the area where you most need to grow?",
    "Describe how you handled a disagreement with a designer about the direction of the rebrand.",
    "Why do you want to work in healthcare after a career in logistics?",
    "Tell me about a time you had to say no to your boss.",
    "How do you celebrate your team's successes?",
    "What made you choose civil engineering as a career?",
    "How did you keep morale up when the restaurant had to close for renovation?",
    "Describe a time you took initiative without being asked.",
    "How do you handle a situation where a coworker takes credit for your work?",
    "Why did you switch from freelance illustration to an in-house role at Pixar?",
    "Tell me about a time you had to work under a manager you did not get along with.",
    "What keeps you motivated in a commission-based sales job at Salesforce?",
    "How do you make sure quieter team members are heard in your sprint retrospectives?",
    "Describe the most difficult patient family you have dealt with and how you managed the relationship.",
    "How would you handle a teammate who keeps missing their deadlines on the data platform project?",
    "What did you learn from the layoffs at Twitter in 2022?",
    "Tell me about a time you built a relationship with a difficult stakeholder in procurement.",
    "Why did you decide to relocate from Lisbon to Berlin for your last job?",
    "How do you handle criticism of your designs in front of the client?",
    "What part of teaching fourth grade did you find most rewarding?",
    "Describe a time you had to manage competing priorities from two managers.",
    "How did you grow as a professional during your two years at the Red Cross?",
    "Tell me about a time your team was falling apart and what you did to bring it together.",
    "What would make you turn down an offer from us?",
    "How do you deal with boredom in routine bookkeeping work?",
    "Describe a time you had to motivate volunteers who were not being paid.",
    "Why do you think you were chosen to lead the accessibility working group at Microsoft?",
    "How do you react when plans change at the last minute before a product launch?",
    "Tell me about a time you helped a colleague who was struggling with their workload.",
    "What values matter most to you in a company culture?",
    "How did you handle the move from individual contributor to managing five engineers at Atlassian?",
    "Describe a time you had to earn the respect of a team that was older than you.",
    "Why did you leave the law firm after making senior associate?",
    "How do you handle a disagreement with a doctor about a patient's care plan?",
    "Tell me about a time you had to compromise to keep a project moving.",
    "What do you do when you feel overwhelmed by your workload?",
    "How do you give feedback to a chef de partie who is talented but rude to the staff?",
    "Describe your ideal manager.",
    "Why did you take a pay cut to join a climate startup?",
    "How did you cope with working remotely across time zones with the team in Singapore?",
    "Tell me about a time you had to repair a damaged relationship with a client.",
    "What has been the biggest surprise in your career so far?",
    "How do you decide when to escalate a conflict to HR?",
    "Describe a time you had to lead a team through a crisis at the warehouse.",
    "What drew you to teaching English abroad after university?",
    "How do you handle a team member who disagrees with a technical direction you have already approved?",
    "Tell me about a time you were proud of how you treated a customer who was rude to you.",
    "Why are you the right person to mentor our new graduate hires?",
    "How did your experience as a team captain in university shape your approach to teamwork?",
    "Describe a time when you had to make an unpopular decision as a project manager.",
    "What do you want to learn in your next job that you could not learn at Accenture?",
    "How do you keep a healthy work-life balance during tax season?",
    "Tell me about a time you recognised someone else's contribution publicly.",
    "Why did you go part time in 2020, and why do you want full time now?",
    "How would you handle it if two people on your team stopped speaking to each other?",
    "What did the night shifts in the ICU teach you about yourself?",
    "Describe a time you changed your mind after listening to a colleague's concerns.",
    "How do you approach your first ninety days in a new role?",
    "Tell me about a time you felt your work was not valued and what you did about it.",
    "Why did you decide to start your own bakery, and why return to employment now?",
    "How do you build rapport with clients you only meet over video calls?",
    "What kind of feedback helps you grow the most?",
    "Describe a time you had to handle a complaint about one of your direct reports.",
    "How did you feel about being passed over for the promotion at Unilever, and how did you respond?",
    "Tell me about a time you took a risk in your career that paid off.",
    # career moves, disagreements and people in technical settings (added 12-03: the classifier called 16% of the
    # HR questions written for real resumes technical, nearly all of them about a move between two tech employers)
    "Why did you leave the Kubernetes platform team at Shopify for a data engineering role at a bank?",
    "What drew you from embedded firmware at Bosch to web development at a small agency?",
    "Why did you trade a backend lead position at Zalando for a research internship in computer vision?",
    "After three years building Spark pipelines at Criteo, what made a product role at a startup attractive?",
    "What were you hoping to find at Datadog that your DevOps work at Atlassian did not offer?",
    "Why stay on at the robotics lab after the ROS migration instead of moving into industry?",
    "Describe a design review where a senior engineer rejected your database schema; how did you respond?",
    "When the mobile team wanted React Native and you wanted native Swift, how did the two sides reach a decision?",
    "How did you win the support of the operations staff who had to use the new ERP screens you built?",
    "Tell me about a time a client pushed for a feature you believed would hurt performance; what did you do?",
    "How did you handle a teammate whose pull requests kept breaking the CI pipeline?",
    "What did mentoring junior developers on the payments API teach you about yourself?",
    "Your startup's cloud platform was shut down after its acquisition; how did you cope with those last months?",
    "Why did you choose a PhD in machine learning over the offer to stay as a data scientist at Siemens?",
    "How do you decide between two interesting offers, say a FinTech scale-up and a quantum computing lab?",
    "What made you switch from electrical engineering to software after your internship at ABB?",
    "When your manager asked you to ship the Terraform migration before it was tested, how did you push back?",
    "How did you keep the data science and backend teams talking when they disagreed about the model API?",
    "Which part of leading the Android rewrite at Deliveroo was hardest for you as a first-time lead?",
    "Why did the move from a consultancy like Accenture to an in-house platform team at Spotify appeal to you?",
    "How did you explain to the sales team that the CRM integration would be three months late?",
    "What did you learn from the time your open-source library's maintainers turned down your pull request?",
    "Working remotely with the QA team in another timezone, how did you build trust with them?",
    "Why did you go back to university for a master's in data science after five years as a Java developer?",
    # HR about named technical work (added 2026-12-05, issue #30): names a project, asks about the person
    (
        "Your rewrite of the invoice matching service at Tallowpay saved finance a week a month; "
        "who else deserved credit for it?"
    ),
    (
        "A staff engineer publicly called your indexing design for the Quillmark search relaunch overcomplicated; "
        "what did you do with that criticism?"
    ),
    (
        "Shipping the Harbourline wallet with a rounding bug that reached customers must have stung; "
        "what did you tell your team?"
    ),
    (
        "Three weeks before the holiday freeze, the Brightfold checkout redesign was half done; "
        "how did you personally hold up?"
    ),
    (
        "Before leaving Ostrava Labs you handed over the GraphQL gateway you had built alone; "
        "how did you prepare your successor?"
    ),
    (
        "Two days before launch, a sales director wanted custom exports in the Fernway CRM plugin; "
        "how did you turn him down?"
    ),
    "What convinced your manager at Pebblestone to give you a quarter for replacing the homegrown cron scheduler?",
    (
        "You and the product owner clashed over cutting offline mode from the Lumenfield inspection app; "
        "how was it settled?"
    ),
    (
        "What kept you maintaining Kestrel, your open-source rate-limiting library, "
        "through two years of evenings with little thanks?"
    ),
    (
        "Leading the Postgres-to-Spanner move at Corvane, "
        "what did you discover about how you decide when nobody has the full picture?"
    ),
    (
        "Two bootcamp graduates joined you on the Nettlebridge accessibility audit; "
        "did you mentor them the same way, and why?"
    ),
    (
        "Do you prefer working alone, as on the Rookwood PDF rendering engine, "
        "or in a squad like the one behind its web editor?"
    ),
    (
        "Warehouse pickers at Dunmore hated the first version of your handheld scanning app; "
        "how did you respond when they said so?"
    ),
    (
        "Whose idea was it to open-source the Gannet feature-flag SDK, "
        "and how did you make sure its original authors were named?"
    ),
    (
        "In the code review of your first Rust service at Merrow Health, a senior colleague left forty comments; "
        "how did that feel?"
    ),
    (
        "A misconfigured DNS record you pushed took the Sparrowgate status page offline for an hour; "
        "what did you say at the incident review?"
    ),
    (
        "Was there a moment during the Tidewell payroll migration when the deadline felt impossible, "
        "and what kept you steady?"
    ),
    "Once the Orrin design-system library was stable you passed it to the platform team; how hard was it to let go?",
    (
        "Marketing asked you to track every tap in the Glenmoor banking app; "
        "how did you explain your refusal on privacy grounds?"
    ),
    (
        "Which arguments finally persuaded the Yarrow Logistics CTO to fund your end-to-end testing proposal after two "
        "rejections?"
    ),
    (
        "Your tech lead wanted a message queue for the Copperline notifications service that you thought was overkill; "
        "which of you gave way?"
    ),
    (
        "Why volunteer for the unglamorous rewrite of the Halvard tax-form generator when the team's AI project was "
        "also open?"
    ),
    (
        "Building the Ferncastle booking site solo for a small clinic, "
        "what did you learn about your habits with no one reviewing your code?"
    ),
    (
        "An intern on your Brambleway routing engine team was too shy to ask about her first pull request; "
        "how did you draw her out?"
    ),
    (
        "After the Saltmarsh loyalty app launched, reviewers said it drained batteries; "
        "how did you deal with the angry messages personally?"
    ),
    "Looking back on the Wrenfield sync outage you caused, what would you change about the way you told your manager?",
    (
        "Since the company newsletter credited you alone for the Juniper Analytics dashboard, "
        "what did you do about the teammates it left out?"
    ),
    (
        "How comfortable were you presenting the Cobalt Street API redesign to senior architects who had built the old "
        "one?"
    ),
    (
        "Nobody had documented the Thistle Bank fraud rules engine you inherited from a departed colleague; "
        "how did you keep your frustration in check?"
    ),
    (
        "Turning down the client's request to skip security testing on the Moorgate portal cost you goodwill; "
        "was it worth it?"
    ),
    "During the Kittiwake game engine port to consoles, whose support mattered most to you, and why?",
    (
        "Teammates on the Ashgrove observability project say you rarely ask for help; "
        "is that fair, and did it show during the tracing rollout?"
    ),
    (
        "When a customer's legal team blamed your Lockhart e-signature integration for a lost contract, "
        "how did you keep your composure?"
    ),
    "Who did you go to for advice when the Parlow recommendation widget you championed failed its A/B test?",
    (
        "What did you tell the junior developer who deleted the staging database on the Quarry Lane project, "
        "and why take that approach?"
    ),
    (
        "The churn forecast you built for Orchard Telecom impressed the board; "
        "how were the analysts who cleaned the data recognised?"
    ),
    (
        "Presenting the Heathermoor fraud model to compliance officers who distrusted machine learning, "
        "how did you get them on side?"
    ),
    (
        "Why did you pick public-health work like the Milltown vaccination coverage analysis over better-paid jobs in "
        "advertising?"
    ),
    (
        "Having spent months alone on the Riverbend survey weighting, "
        "how did you feel about handing it to an analyst you had never met?"
    ),
    (
        "Your thermal redesign of the Veldt drone battery pack slipped because of a supplier; "
        "how did you tell the programme manager?"
    ),
    (
        "The firmware lead rejected your PCB layout for the Osprey sensor board twice; "
        "what did that do to your working relationship?"
    ),
    (
        "What made you choose power electronics, and the Stonegate inverter project in particular, "
        "for your first job after graduating?"
    ),
    (
        "A soldering fault you missed grounded twenty Brisk e-bike controllers at the factory; "
        "what did you do in the first hour after finding out?"
    ),
    (
        "On the Larkspur robotic arm, "
        "did you enjoy the solo bench work more than the integration weeks with the mechanical team?"
    ),
    "Your postdoc colleague ran most of the assays for the Calder enzyme paper; how did you two agree on author order?",
    (
        "In lab meeting, the PI questioned your reading of the zebrafish imaging results; "
        "what went through your mind, and what did you say?"
    ),
    "Finding a contaminated cell line six months into the Aldermoor stem-cell study, how did you tell your supervisor?",
    (
        "Grant deadlines for the Sedgefield soil-microbiome project overlapped with your thesis writing; "
        "what did you let slip, and how did you feel about it?"
    ),
    (
        "Everyone in the Birchwell lab came to you for help with the confocal microscope; "
        "what was hardest about being that person?"
    ),
    (
        "You set up the sepsis screening checklist on Ward 7 at Greyfield General; "
        "how did you get sceptical nurses to use it?"
    ),
    (
        "Did the wound-care protocol you wrote for Hollins Community Clinic outlive your time there, "
        "and whom did you trust to keep it going?"
    ),
    "A charge nurse told you your discharge teaching for heart-failure patients felt rushed; how did you take that?",
    "What led you to volunteer for the falls-prevention audit at Eastmere Hospital on top of full night shifts?",
    (
        "Families complained about the visiting rules you helped draft for the Lindell palliative unit; "
        "how did you talk with them?"
    ),
    "The audit committee praised the Corbel Foods lease-accounting transition you led; who did you thank, and how?",
    (
        "How soon after close did you admit posting the Wexford accruals to the wrong period, "
        "and how did your controller react?"
    ),
    "A partner at Hale & Crane asked you to sign off the inventory count before it was finished; how did you refuse?",
    (
        "Moving from audit to building the Fairhaven group's management reporting pack, "
        "did you find the change you were hoping for?"
    ),
    (
        "When parents objected to the project-based maths course you introduced at Elmbrook Primary, "
        "what did you say to them?"
    ),
    (
        "An observation report said your Year 9 chemistry practicals were too teacher-led; "
        "what did you make of that judgement?"
    ),
    (
        "Coaching a newly qualified teacher through the reading-intervention scheme you wrote at Oakhurst, "
        "where did you stop helping?"
    ),
    (
        "Your new cross-docking layout at the Tilbury Reach depot slowed pickers for a month; "
        "how did you handle their frustration?"
    ),
    (
        "A major retail client demanded same-day routes your Halden Freight plan could not run safely; "
        "how did you refuse without losing the account?"
    ),
    "What persuaded your regional director to pilot the electric-van scheme you proposed for Norland Parcels?",
    "Which part of running the Cresswell cold-chain rollout without a project team did you find hardest personally?",
    (
        "Clients at Harrow Transit rejected your first wayfinding concepts outright; "
        "how did you pick yourself up from that?"
    ),
    (
        "Defending your minimalist packaging for the Bexley Tea rebrand against a founder who wanted gold foil, "
        "how far did you push?"
    ),
    (
        "What did designing the Nimbus banking app's onboarding screens teach you about taking criticism from "
        "usability testers?"
    ),
    (
        "A print run of the Marlow Festival programme went out with your typo on the cover; "
        "how did you face the organisers?"
    ),
    (
        "Why, after years of brand work, "
        "did you spend a year designing signage and forms for the Sunnyside hospice unpaid?"
    ),
)

TECHNICAL_QUESTIONS: tuple[str, ...] = (
    "How did you cut p95 latency by 40% with Redis caching at Acme Corp?",
    "Why did you choose PostgreSQL over MongoDB for the order service at Globex?",
    "Walk me through how you designed the Kafka consumer groups for the payments pipeline.",
    "How did you calculate medication dosages for pediatric patients on the oncology ward?",
    "What steps do you follow to reconcile the general ledger at month end?",
    "How did you structure the unit on fractions for your fifth-grade class?",
    "What metrics did you use to evaluate the churn model you built at Spotify?",
    "How did you tune the Kubernetes autoscaler to handle the Black Friday traffic?",
    "Which techniques do you use to keep a hollandaise from splitting during service?",
    "How did you run the A/B test for the new checkout flow, and how did you decide the sample size?",
    "What was your approach to migrating the monolith to microservices at Initech?",
    "How do you prepare a lease accounting schedule under IFRS 16?",
    "What load calculations did you do for the steel frame of the Riverside warehouse?",
    "How did you set up the CI/CD pipeline with GitHub Actions and Terraform?",
    "Which statistical test did you use to compare the two treatment groups in your thesis?",
    "How do you configure VLANs and firewall rules for a small office network?",
    "How did you reduce food cost from 34% to 28% at the bistro?",
    "What is your process for drafting a motion to dismiss in a contract dispute?",
    "How did you implement role-based access control in the Django admin?",
    "Explain how you used PyTorch Lightning to train the image classifier on the defect dataset.",
    "How did you segment the email list for the spring campaign, and which open-rate changes did you see?",
    "What wiring standards did you follow when upgrading the panel to 200 amps?",
    "How do you check a prescription for drug interactions before dispensing it?",
    "How did you design the database schema for the inventory system at Zara?",
    "Which color and typography choices did you make in the rebrand, and why?",
    "How did you debug the memory leak in the Node.js API service?",
    "How do you build a discounted cash flow model for a mid-size manufacturing company?",
    "What tolerances did you specify for the machined aluminium housing?",
    "How did you use SQL window functions to compute the retention cohorts?",
    "How do you set up sterile fields before a central line insertion?",
    "Which React state management approach did you use in the dashboard, and why not Redux?",
    "How did you handle schema evolution in the Avro messages on the event bus?",
    "How do you design a rubric for assessing persuasive essays in ninth grade?",
    "How did you implement the search feature with Elasticsearch at Etsy?",
    "What is your method for estimating quantities from architectural drawings?",
    "How did you forecast demand for the distribution center using ARIMA?",
    "How do you ensure idempotency in the retry logic of the payments API?",
    "Which SEO changes did you make to raise organic traffic by 60%?",
    "How did you set up monitoring and alerting with Prometheus and Grafana?",
    "How do you perform a root cause analysis on a failed hydraulic pump?",
    "What sampling approach did you use for the internal audit of travel expenses?",
    "How did you optimise the Spark job that processed 2 TB of clickstream logs a day?",
    "How did you implement offline support in the React Native app?",
    "How do you calibrate the gas chromatograph before a batch of samples?",
    "What was the architecture of the recommendation engine you built at Netflix?",
    "How did you secure the S3 buckets and IAM roles in the AWS account?",
    "How do you decide between a flat slab and a beam-and-slab system for a parking garage?",
    "How did you build the ETL pipeline in Airflow, and how did you handle late-arriving data?",
    "Which tax treatment did you apply to the stock options in the acquisition?",
    "How did you reduce the bundle size of the web app by half?",
    "How do you organise mise en place for a 200-cover banquet?",
    "How did you use Figma components and auto layout to build the design system?",
    "What caching headers did you set on the CDN for the static assets?",
    "How did you validate the credit risk scorecard before it went into production?",
    "How do you program a PLC to sequence the conveyor motors on the packing line?",
    "How did you write the integration tests for the billing service with pytest?",
    "How do you manage a patient's insulin sliding scale overnight?",
    "How did you run the load tests with Locust, and what bottleneck did you find?",
    "What was your approach to feature engineering for the fraud detection model?",
    "How do you set up a three-statement financial model in Excel?",
    "How did you implement the GraphQL schema and resolvers for the mobile client?",
    "How do you size a heat pump for a four-bedroom house?",
    "How did you reduce the false positive rate of the anomaly detector at Stripe?",
    "What migration strategy did you use to move the Oracle database to Aurora with no downtime?",
    "How do you sequence phonics instruction for early readers who are struggling?",
    "How did you design the rate limiter for the public API?",
    "How did you choose the hyperparameters for the XGBoost model?",
    "What sequencing did you use for the concrete pours on the bridge deck?",
    "How do you structure a due diligence checklist for a software acquisition?",
    "How did you containerise the legacy Java application with Docker?",
    "How do you measure the attribution of paid social campaigns across channels?",
    "How did you implement end-to-end encryption for the messaging feature?",
    "How do you read an ECG to spot atrial fibrillation quickly?",
    "How did you handle concurrency and locking in the booking system to avoid double bookings?",
    "Which algorithms did you use to route the delivery vans, and how did you measure the savings?",
    "How do you prepare the cash flow statement using the indirect method?",
    "How did you profile and speed up the slow pandas transformations in the reporting job?",
    "How do you plan a lighting layout for an open-plan office to meet the lux requirements?",
    "How did you implement the OAuth 2.0 login flow with refresh tokens?",
    "How do you evaluate whether a sourdough starter is ready to bake with?",
    "How did you build the data warehouse models in dbt, and how did you test them?",
    "How do you design a phishing simulation and measure the click rate?",
    "How did you shard the Postgres database when the orders table passed a billion rows?",
    "How do you document a chain of custody for digital evidence?",
    "How did you write the Terraform modules so that staging and production stayed identical?",
    "How do you adjust a lesson plan for students with dyslexia in a science class?",
    "How did you implement the real-time notifications with WebSockets?",
    "How do you perform a variance analysis between budget and actuals?",
    "How did you fine-tune the BERT model for the support ticket classifier?",
    "What welding procedure did you qualify for the stainless steel piping?",
    "How did you structure the Android app with MVVM and Jetpack Compose?",
    "How do you set the reorder points and safety stock in the warehouse management system?",
    "How did you detect and fix the race condition in the Go worker pool?",
    "How do you choose the right suture material for a deep laceration?",
    "How did you use Tableau to build the sales dashboard, and where did the data come from?",
    "How do you test a residual current device after installation?",
    "How did you design the schema for the multi-tenant SaaS database?",
    "How did you measure the accuracy of the OCR pipeline on scanned invoices?",
    "How do you compute the weighted average cost of capital for a valuation?",
    "How did you implement blue-green deployments on ECS?",
    "What approach did you use to translate the requirements into user stories and acceptance criteria?",
    "How do you keep a knife edge sharp through a long prep shift, and which stones do you use?",
    "How did you decide on the indexing strategy for the analytics queries in BigQuery?",
    "How would you explain the difference between a technical debt backlog item and a bug in your Jira setup?",
    "How did you reduce the build time of the C++ project with ccache and precompiled headers?",
    "How do you structure the chart of accounts for a new subsidiary?",
    "How did you manage secrets in the Kubernetes cluster, and why Vault rather than sealed secrets?",
    # technical questions about work done with or for people (added 12-03, beside the HR questions above)
    "When two services wrote to the same customer record at Shopify, how did you prevent lost updates?",
    "How did you version the public API so that old mobile clients kept working after the schema change?",
    "How did you decide which tests to run on each pull request to keep the CI pipeline under ten minutes?",
    "What made the Kalman filter drift in the drone's altitude estimate, and how did you correct it?",
    "How did you shard the user table, and what happened to queries that spanned shards?",
    "Which metric did you use to pick the retrieval model, and how did you build the labelled set for it?",
    "How did you keep the Terraform state consistent when two teams applied changes on the same day?",
    "How did you validate the finite-element mesh before trusting the stress results?",
    # technical questions that mention people (added 2026-12-05, issue #30, paired with the HR set above)
    (
        "Your reviewer flagged N+1 queries in the Crestline order history endpoint; "
        "which query changes removed them, and how did you measure the gain?"
    ),
    (
        "Stakeholders at Vantor Insurance wanted claims scored within a second; "
        "which model and serving setup met that latency budget?"
    ),
    (
        "For a client whose warehouse had no reliable Wi-Fi, "
        "how did you design the sync and conflict resolution of the stock-count app?"
    ),
    (
        "What caused the random logouts that users of the Greystone tenant portal kept reporting, "
        "and where in the session handling was the bug?"
    ),
    (
        "Your manager asked for a smaller hosting bill on the Tamsin analytics stack; "
        "which savings came from spot nodes and storage tiers, and at what cost in reliability?"
    ),
    (
        "Three teams shared one Postgres cluster at Brackley; "
        "how did you stop one team's batch jobs from starving the others' queries?"
    ),
    (
        "With the security auditor requiring every admin action to be traceable, "
        "how did you make the audit log tamper-evident?"
    ),
    (
        "Which measurements showed that nurses on Ward 4 were saving time with the barcode medication scanner, "
        "and how were they collected?"
    ),
    (
        "Patients kept missing the follow-up texts from the Dunlow clinic booking system; "
        "what did the delivery logs show was going wrong?"
    ),
    (
        "The finance director wanted intercompany balances eliminated automatically in the Harwick consolidation; "
        "which matching rules did you build?"
    ),
    (
        "When an external auditor questioned the Pellow revenue cut-off, "
        "which testing procedure showed shipments sat in the right period?"
    ),
    (
        "A hospital customer reported the Vireo infusion pump alarm firing too late; "
        "which part of the pressure-sensing firmware caused the delay?"
    ),
    (
        "Field technicians complained the Thornby gas detectors drained batteries in a week; "
        "how did you measure where the power went?"
    ),
    (
        "Co-authors disagreed on outliers in the Fenwick reaction-time dataset; "
        "which exclusion criterion did you adopt, and what did it change?"
    ),
    (
        "Your supervisor doubted the Western blot quantification in the Ashby kinase study; "
        "how did you normalise the bands?"
    ),
    (
        "For pupils in your Year 10 set who were two grades behind, "
        "how did you sequence the algebra unit and check understanding?"
    ),
    (
        "Department heads at Millbrook School asked for comparable marks across classes; "
        "how did you moderate the coursework grading?"
    ),
    (
        "The dispatch team at Corrie Haulage wanted fewer empty return legs; "
        "which backhaul-matching approach did you implement?"
    ),
    (
        "What did the GPS traces reveal about the routing model's assumptions once drivers started ignoring its "
        "optimised routes?"
    ),
    (
        "Which forecasting error lay behind the stockouts Lattimer Home store managers reported after the "
        "replenishment change?"
    ),
    (
        "In usability sessions for the Calloway pension app, older users missed the main button; "
        "which layout and contrast changes fixed it?"
    ),
    (
        "Because the client's brand had to work in Arabic and English, "
        "how did you adapt the Sabra logotype and grid for right-to-left use?"
    ),
    (
        "Reviewers on the Dovecote pull request objected to your ORM-level caching; "
        "what invalidation strategy did you settle on?"
    ),
    (
        "Product managers at Swale wanted experiment results daily; "
        "how did you stop early peeking from inflating false positives?"
    ),
    (
        "Which logging and tracing tools did you pick so on-call engineers at Penhallow could find a failing request "
        "in minutes?"
    ),
    (
        "After a customer's bulk import took down the Rowan CRM database, "
        "what rate limits and queueing did you add to the import path?"
    ),
    (
        "The data scientists needed identical features in training and serving; "
        "how did you build the Kelso feature store to guarantee that?"
    ),
    (
        "Why did your team choose event sourcing for the Marchetti ledger service, "
        "given that accountants needed point-in-time balances?"
    ),
    (
        "The mobile developers needed a stable contract; "
        "how did you generate SDKs from the OpenAPI spec and catch breaking changes in CI?"
    ),
    (
        "How did you label tickets for the Brennan intent classifier when support agents disagreed on categories, "
        "and what agreement did you reach?"
    ),
    (
        "Researchers at four sites shared the Ilford cohort data; "
        "which de-identification method kept it useful and compliant?"
    ),
    (
        "Surgeons asked for a lighter retractor for the Quinton trial; "
        "which material did you choose, and how did you test its fatigue life?"
    ),
    (
        "The night-shift team doubted the Ward 9 early-warning score thresholds; "
        "what data did you review to recalibrate them?"
    ),
    (
        "Given that bookkeeping clients at Ferrier uploaded receipts as phone photos, "
        "how did you structure the OCR and review step?"
    ),
    (
        "Your controller spotted contractors double-paid in the Lowther payroll run; "
        "what caused it, and which control did you add?"
    ),
)
